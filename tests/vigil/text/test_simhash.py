from vigil.text.simhash import cluster_signatures, hamming, simhash

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


def test_reposts_cluster_together_and_apart_from_other_texts():
    edited = STORY.replace("Saturday", "Sunday")
    credited = STORY + " Via Riverside Chronicle."
    other = ("The regional football final was postponed because of heavy snow; the organisers said tickets "
             "remain valid for the new date in March.")
    signatures = [simhash(STORY), simhash(other), simhash(edited), simhash(credited), simhash(""), ""]
    assert hamming(signatures[0], signatures[2]) <= 8 and hamming(signatures[0], signatures[3]) <= 8
    clusters = cluster_signatures(signatures)
    assert clusters[0] == clusters[2] == clusters[3]
    assert len({clusters[0], clusters[1], clusters[4], clusters[5]}) == 4  # no words: never linked
    assert cluster_signatures([]) == []
