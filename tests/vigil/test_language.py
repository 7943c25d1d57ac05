from vigil.language import identify as detect_language


def test_russian_and_english_with_confidence():
    assert detect_language("Мигранты из Таджикистана открыли новую пекарню в центре города.")[0] == "ru"
    language, confidence = detect_language("Neighbours of many faiths shared a street festival on Saturday.")
    assert language == "en" and 0.5 < confidence <= 1


def test_wallets_and_links_do_not_mislead_the_detector():
    text = "Вставай в строй, брат! Закрытый чат: https://t.me/+Abc123 BTC 1KuGeqbchzqeKgVRJB7wvEqfAxFvYn4Szf TRC20"
    assert detect_language(text)[0] == "ru"


def test_too_short_to_tell():
    assert detect_language("ok 👍 123") == (None, None)


def test_central_asian_languages_lingua_lacks_are_told_by_their_letters():
    assert detect_language("Ҳамаи одамон озод ба дунё меоянд ва аз рӯи шаъну қадр ва ҳуқуқҳо баробаранд.") \
        == ("tg", None)
    assert detect_language("Бардык адамдар өз беделинде жана укуктарында эркин жана тең укуктуу болуп төрөлөт.") \
        == ("ky", None)
    assert detect_language("Барча одамлар эркин, қадр-қиммат ва ҳуқуқларда тенг бўлиб туғиладилар.")[0] == "uz"
    assert detect_language("Барлық адамдар тумысынан азат және қадір-қасиеті мен құқықтарында тең болып дүниеге келеді.")[0] == "kk"


def test_the_classifier_always_gets_a_language():
    from classifiers.language import detect_language as route

    assert route("ok 👍") == "en" and route("да 👍") == "ru"
    assert route("Мигранты из Таджикистана открыли новую пекарню в центре города.") == "ru"
