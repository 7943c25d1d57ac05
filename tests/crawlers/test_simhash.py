from crawlers.extract.simhash import hamming, simhash

STORY = ("Hundreds of residents gathered on Mill Street on Saturday for the annual festival of neighbours, "
         "where volunteers from the mosque, the synagogue and the parish church cooked side by side. "
         "The city council said it would fund the event again next year.")


def test_signature_is_64_bit_hex_and_stable():
    signature = simhash(STORY)
    assert len(signature) == 16 and int(signature, 16) >= 0
    assert simhash(STORY) == signature
    assert simhash(STORY.upper().replace(" ", "  ")) == signature  # normalised first


def test_reposts_are_close_and_other_texts_far():
    repost = STORY.replace("Saturday", "Sunday") + " Shared from Riverside Chronicle."
    other = "Юношеская команда спортивной школы выиграла областной турнир по футболу со счётом три - один."
    assert hamming(simhash(STORY), simhash(repost)) <= 12
    assert hamming(simhash(STORY), simhash(other)) > 20
    assert simhash("") == "0" * 16
