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


def test_italian_portuguese_and_dutch_are_told_apart_from_their_neighbours():
    # before v21's lexicon read them, lingua was not offered them and called them Spanish, French or German
    for fast in (False, True):
        assert detect_language("Gli stranieri del quartiere hanno aperto una pizzeria nuova", fast=fast)[0] == "it"
        assert detect_language("Os imigrantes abriram uma padaria nova no bairro", fast=fast)[0] == "pt"
        assert detect_language("De buren uit Marokko hebben een nieuwe bakkerij geopend", fast=fast)[0] == "nl"
        assert detect_language("Sąsiedzi z Ukrainy otworzyli nową piekarnię", fast=fast)[0] == "pl"


def test_short_english_posts_the_quick_mode_misreads_are_routed_as_english():
    from classifiers.language import detect_language as route

    posts = ["Wonder what happened ?", "I was wondering the same thing .", "It is happening .",
             "Jesus Christ is Lord indeed .", "I feel its over ....."]
    assert {detect_language(p, fast=True)[0] for p in posts} != {"en"}  # the quick mode alone misreads them
    assert {route(p) for p in posts} == {"en"}
    assert route("Gli stranieri del quartiere hanno aperto una pizzeria nuova") == "it"
