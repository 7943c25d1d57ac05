from crawlers.extract.language import detect_language


def test_russian_and_english_with_confidence():
    assert detect_language("Мигранты из Таджикистана открыли новую пекарню в центре города.")[0] == "ru"
    language, confidence = detect_language("Neighbours of many faiths shared a street festival on Saturday.")
    assert language == "en" and 0.5 < confidence <= 1


def test_wallets_and_links_do_not_mislead_the_detector():
    text = "Вставай в строй, брат! Закрытый чат: https://t.me/+Abc123 BTC 1KuGeqbchzqeKgVRJB7wvEqfAxFvYn4Szf TRC20"
    assert detect_language(text)[0] == "ru"


def test_too_short_to_tell():
    assert detect_language("ok 👍 123") == (None, None)
