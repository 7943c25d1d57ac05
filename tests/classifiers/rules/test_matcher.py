import pytest

from classifiers.rules.matcher import Lexicon, load_lexicon, rule_scores
from vigil.schemas import CATEGORIES


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _hits(lexicon: Lexicon, text: str) -> dict[str, float]:
    return {m.category: m.score for m in lexicon.match(text)}


def test_every_entry_names_a_taxonomy_category(lexicon):
    assert lexicon.version >= 1
    assert {entry.category for entry in lexicon.entries} <= set(CATEGORIES)


@pytest.mark.parametrize("text", ["Sieg Heil!", "s i e g   h e i l", "S1EG H31L", "ѕіеg hеіl", "s.i.e.g-h.e.i.l"])
def test_obfuscated_slogans_are_found(lexicon, text):
    assert _hits(lexicon, text)["neo_nazism"] >= 0.5


def test_spans_are_spans_of_the_original_text(lexicon):
    text = "Brothers, S1eg  H3il and 14/88 forever"
    for match in lexicon.match(text):
        assert text[match.start:match.end] == match.text
    assert {m.text for m in lexicon.match(text)} == {"S1eg  H3il", "14/88"}


def test_russian_inflection_and_mixed_script(lexicon):
    assert _hits(lexicon, "Брат, соверши хиджру")["recruitment"] >= 0.5
    assert _hits(lexicon, "Р0ссия  для  русскиx!")["aggressive_nationalism"] >= 0.5


def test_words_inside_longer_words_do_not_match(lexicon):
    assert "neo_nazism" not in _hits(lexicon, "Theil's siegheilman group")
    assert lexicon.match("Он решил вступить в ряды армии.") == []


def test_news_and_quotes_are_damped_below_the_threshold(lexicon):
    assert _hits(lexicon, "Police arrested men who shouted sieg heil at the rally")["neo_nazism"] < 0.5
    assert _hits(lexicon, "Someone wrote «зиг хайль» on the wall")["neo_nazism"] < 0.5


def test_requires_groups_gate_an_entry(lexicon):
    armed = "Donate to the mujahideen for weapons, BTC bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
    charity = "Donate to the flood shelter, card 4276 3800 1234 5678"
    assert _hits(lexicon, armed)["financing"] >= 0.5
    assert _hits(lexicon, charity).get("financing", 0) < 0.5


@pytest.mark.parametrize("text", [
    "Send BTC to 1BoatSLRHtKNngkdXEeobR76b6zLC1rJ3n: the fighters of the caliphate need rifles and ammo.",
    "Jihad needs your zakat. Transfer to account no. 12345678901 today.",
    "Sponsor a mujahid for the winter, write to me.",
    "Скидывайте на оружие для моджахедов, реквизиты в профиле.",
    "Перечислите на счёт 40702810500000012345, братьям-моджахедам нужны патроны.",
    "Вооружи моджахеда — дорогу в рай оплатим вместе.",
])
def test_appeals_to_finance_an_armed_group_are_found(lexicon, text):
    assert _hits(lexicon, text)["financing"] >= 0.5


@pytest.mark.parametrize("text", [
    "Zakat for flood victims: transfer to account 40702810500000012345.",
    "Scan the QR code to donate to the children's hospital.",
    "Переводите на счёт 40702810500000012345, собираем на лечение Маше.",
    "The fighters' club asks members to transfer the fee by card 4276 3800 1234 5678."
    " Sorry, ammunition for the paintball games is extra.",
])
def test_ordinary_fundraising_is_at_most_weak_evidence(lexicon, text):
    assert _hits(lexicon, text).get("financing", 0) < 0.5


@pytest.mark.parametrize("text", [
    "The brother who detonated himself at the market is a martyr, may Allah accept him.",
    "Those who blew up the crusaders' base are true lions.",
    "Anyone who killed the apostates that day is a hero.",
    "The bombing was a lesson those kuffar deserved.",
    "Те, кто взорвал автобус с неверными, — герои.",
    "Моджахеды, атаковавшие базу крестоносцев, теперь в джанне.",
    # lexicon v17: the attacker as "the guy", "the lads", a vehicle driven into the place; infidels who got what
    # they deserved
    "That lad who rammed the synagogue's gate on Saturday was a legend.",
    "The guys who shot up that concert hall are heroes.",
    "Неверные получили по заслугам, да примет Аллах наших братьев.",
    "The kuffar got what they deserved in that hall.",
    # lexicon v18: one attacker named by the attack, a medal deserved, a named killer's deed approved, Allah's
    # reward asked for the attackers; "красавчики", "респект", a school shooter's "вечная слава", a canonisation
    "The Christchurch shooter is a saint.",
    "Whoever bombed that synagogue deserves a medal.",
    "Breivik did what needed to be done.",
    "May Allah reward the brothers who flew those planes.",
    "The martyrs who carried it out are heroes of the ummah.",
    "Кто поджёг мечеть — красавчики.",
    "Кто взорвал тот автобус — респект им.",
    "Колумбайнеры ответили этому гнилому миру. Вечная слава.",
    "Тарранта надо причислить к святым.",
    "Шахиды, которые устроили теракт на том концерте, — настоящие львы.",
    "Те шахиды, что взорвали метро, теперь в раю.",
    "9/11 was the most beautiful day, may allah reward the 19 brothers",
    "стрелок в крайстчерче сделал то, на что у других кишка тонка. герой",
    "крокус это только начало, аллаху акбар",
])
def test_praise_of_attackers_is_found(lexicon, text):
    assert _hits(lexicon, text)["terrorism_justification"] >= 0.5


@pytest.mark.parametrize("text", [
    "The soldiers who stormed the beach at Normandy were heroes.",
    "The firefighters who attacked the blaze were heroes.",
    "The victims of the attack are martyrs in paradise, the imam said.",
    "Police said the man who planted the bomb was called a hero by his followers online.",
    "Спецназовцы, штурмовавшие здание, — настоящие герои.",
    "Те, кто спасал людей после взрыва, — герои.",
    # lexicon v17's wider subjects and verbs: rescuers, and an attacker named and refused the word
    "The man who drove into the flooded market to rescue stranded families is a hero.",
    "The brothers who drove into the school car park and carried the injured out were heroes.",
    "The guy who shot up the mosque was sentenced to life, and he is no hero.",
    "The men who stormed the school in Beslan to free the children were heroes.",
    "The lads who stormed the festival stage were legends.",
    # lexicon v18's near misses: a shooter called a hero by others, a firefighter's medal, a school shooting studied
    "The shooter was called a hero on far-right forums, researchers found.",
    "The firefighter who saved the children from that school deserves a medal.",
    "Колумбайнеры — не герои, а убийцы, и им не место в новостях.",
    "Шахиды, о которых пишут в учебниках истории, жили тысячу лет назад.",
    "Стрелок в Казани не герой, а убийца.",
    "Стрелок в Перми убил шестерых, герой-полицейский задержал его.",
    "Террорист на вокзале был обезврежен, герой дня — охранник.",
    "9/11 was the worst day of my life.",
])
def test_heroes_of_other_kinds_and_victims_are_not_praise_of_attackers(lexicon, text):
    assert _hits(lexicon, text).get("terrorism_justification", 0) < 0.5


def test_bare_88_is_weak_evidence_only(lexicon):
    assert 0 < _hits(lexicon, "room 88 is free")["neo_nazism"] < 0.5


def test_rule_scores_cover_every_category(lexicon):
    scores = rule_scores(lexicon.match("White power!"), CATEGORIES)
    assert set(scores) == set(CATEGORIES) and scores["neo_nazism"] == pytest.approx(0.8)


@pytest.mark.parametrize("text, category", [
    ("Muslims are scum.", "religious_intolerance"),
    ("I really can't stand Jews.", "religious_intolerance"),
    ("Tajiks are filthy animals.", "xenophobia"),
    ("Immigrants are rats.", "xenophobia"),
    ("Roma are born criminals.", "racism"),
    ("Ненавижу мусульман.", "religious_intolerance"),
    ("Таджики — грязные животные.", "xenophobia"),
    ("Цыгане — прирождённые преступники.", "racism"),
    ("Kill all the Chechens.", "incitement"),
    ("Migrants should all be hanged.", "incitement"),
])
def test_hostility_towards_a_named_group_follows_the_group(lexicon, text, category):
    assert _hits(lexicon, text)[category] >= 0.5


@pytest.mark.parametrize("text", [
    "I don't hate Muslims.", "Muslims are not scum.", "Я не ненавижу евреев.", "Tajiks are hard-working people.",
    "Мигранты помогли отремонтировать школу.",
])
def test_negation_and_neutral_mentions_are_not_hostility(lexicon, text):
    assert all(score < 0.5 for score in _hits(lexicon, text).values())


@pytest.mark.parametrize("text", [
    "No one should ever say that immigrants are rats.",
    "Saying that Jews are parasites is disgusting.",
    "Мы не считаем, что мигранты — паразиты.",
    "He was sentenced for shouting that Roma are born criminals.",
])
def test_counter_speech_and_reports_about_hostility_are_damped(lexicon, text):
    hits = _hits(lexicon, text)
    assert hits and all(score < 0.5 for score in hits.values())


@pytest.mark.parametrize("text", [
    "Saying migrants are criminals is just wrong.",
    "If you think Jews control the media, you are the problem.",
    "You keep saying black people are apes. That is vile racism.",
    "The article claims Roma are thieves by nature, which is a disgraceful stereotype.",
    "Говорить, что мигранты — преступники, просто неправильно.",
    "Кто-то снова говорит, что мигранты — паразиты. Стыдно такое читать.",
])
def test_a_claim_the_text_attributes_and_rejects_is_cited_not_made(lexicon, text):
    hits = lexicon.match(text)
    assert hits and all(m.score < 0.5 for m in hits)  # kept as evidence, damped as a quotation is


@pytest.mark.parametrize("text", [
    "Everyone says migrants are criminals, and everyone is right.",  # attributed and endorsed
    "People say Jews are vermin. It's not racist, it's the truth.",  # the rejection is itself denied
    "Saying Jews are vermin is not wrong, it is just honest.",
    "They claim Muslims are peaceful. Nonsense. Muslims are savages.",  # the hit is the writer's own
    "Кто-то скажет, что это расизм, но таджики — животные.",  # the rejection comes before the hit
    "Мой отец всегда говорил, что евреи — паразиты, и он был прав.",
    "Migrants are criminals. Calling that racist changes nothing.",  # no attribution before the hit
])
def test_an_attribution_or_a_rejection_alone_leaves_the_statement_made(lexicon, text):
    assert max(_hits(lexicon, text).values()) >= 0.5


def test_claim_spans_run_from_the_attribution_to_the_rejection(lexicon):
    text = "They say Muslims are peaceful, that's a lie, Muslims are savages."
    assert [text[a:b] for a, b in lexicon.claims(text)] == [" Muslims are peaceful, that's "]
    text = "В комментариях пишут, что таджики — грязные животные. Это язык вражды."
    assert [text[a:b] for a, b in lexicon.claims(text)] == [", что таджики — грязные животные"]
    assert lexicon.claims("They say migrants are criminals, and they are right.") == []
    assert lexicon.claims("Saying it is wrong.") == []  # a claim of fewer than three words


@pytest.mark.parametrize(("text", "categories"), [
    ("Someone should burn down that mosque with everyone inside.", {"incitement", "religious_intolerance"}),
    ("We should firebomb every synagogue in this city.", {"incitement", "religious_intolerance"}),
    ("Хорошо бы сжечь эту мечеть вместе со всеми, кто внутри.", {"incitement", "religious_intolerance"}),
    ("Сожгите их синагогу!", {"incitement", "religious_intolerance"}),
    ("It's time to solve the Jewish question.", {"neo_nazism"}),
    ("Пора окончательно решить еврейский вопрос.", {"neo_nazism"}),
])
def test_calls_to_attack_a_place_of_worship_and_the_jewish_question_as_a_call(lexicon, text, categories):
    assert {c for c, score in _hits(lexicon, text).items() if score >= 0.5} == categories


@pytest.mark.parametrize("text", [
    "Arsonists tried to burn down the mosque last night; police are investigating.",
    "Volunteers rebuilt the synagogue that was bombed in 1942.",
    "Поджигатели пытались сжечь мечеть, полиция ищет их.",
    "The Nazis called the Holocaust the final solution of the Jewish question.",
    "Нацисты называли Холокост окончательным решением еврейского вопроса.",
])
def test_reports_and_history_of_such_attacks_and_of_the_jewish_question_are_not_calls(lexicon, text):
    assert all(score < 0.5 for score in _hits(lexicon, text).values())


@pytest.mark.parametrize(("text", "category"), [
    ("The attack on the concert hall was a just punishment for the infidels.", "terrorism_justification"),
    ("Теракт в Крокусе — справедливое возмездие неверным.", "terrorism_justification"),
    ("Hitler was right, and we will finish what he started.", "neo_nazism"),
    ("Гитлер был прав, надо было закончить его дело.", "neo_nazism"),
    ("Send bitcoin to support the mujahideen in Idlib: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "financing"),
])
def test_attacks_as_punishment_of_infidels_approval_of_hitler_and_crypto_for_jihad(lexicon, text, category):
    assert _hits(lexicon, text).get(category, 0) >= 0.5


@pytest.mark.parametrize("text", [
    "The airstrike was a just response to aggression, the ministry said.",  # names no infidels
    "Was Hitler right about anything? The historian answers: no.",
    "Hitler was wrong about everything, and millions paid for it.",
    "Send bitcoin to my wallet for the charity stream tonight!",
])
def test_a_states_strike_questions_about_hitler_and_ordinary_crypto_are_not_matched(lexicon, text):
    assert all(score < 0.5 for score in _hits(lexicon, text).values())


def test_reporting_context_is_recognised(lexicon):
    assert lexicon.reporting_context("Police detained two suspects after the explosion.")
    assert lexicon.reporting_context("Документальный фильм о вербовщиках.")
    assert not lexicon.reporting_context("Take up arms tonight, brothers.")
    assert 0 < lexicon.model_context_factor < 1


@pytest.mark.parametrize("text, hostility", [
    ("I will kill any Chechen I see tomorrow.", "xenophobia"),
    ("Death to all Jews", "religious_intolerance"),
    ("Migrants deserve to die.", "xenophobia"),
    ("Смерть цыганам!", "racism"),
    ("Мигранты заслуживают смерти.", "xenophobia"),
])
def test_threats_against_a_group_are_incitement_and_hostility(lexicon, text, hostility):
    hits = _hits(lexicon, text)
    assert hits["incitement"] >= 0.5 and hits[hostility] >= 0.5


def test_threat_patterns_need_the_threat(lexicon):
    assert _hits(lexicon, "I will never hurt any Muslim.") == {}
    assert _hits(lexicon, "I want to kill white supremacist propaganda online.") == {}
    assert _hits(lexicon, "The attackers shouted 'death to Jews', police said.")["incitement"] < 0.5


# Calls written for this test, not taken from the functional suite the entries were developed on.
@pytest.mark.parametrize("text", [
    "Tired of this life? Sign up with the mujahideen, they give every volunteer a rifle.",
    "Enlist in the army of the caliphate before the summer offensive.",
    "Swear allegiance to the emir tonight and wait for his orders.",
    "Sisters, come to Sham: the Islamic State has a home ready for you.",
    "Brothers who want the path of jihad, add me on Signal, I will send the route.",
    "Присоединяйтесь к джихаду, братья, время пришло.",
    "Поклянись в верности эмиру и жди приказа.",
    "Через границу переведём, дальше прямо к моджахедам.",
    "Message me if you are ready for jihad, I answer on Telegram.",
])
def test_calls_to_join_an_armed_group_are_recruitment(lexicon, text):
    assert _hits(lexicon, text).get("recruitment", 0) >= 0.5


@pytest.mark.parametrize("text", [
    "The companions gave bay'ah to the Prophet in Medina, a turning point in early Islamic history.",
    "Join us for Friday prayer, brothers and sisters of the ummah.",
    "Join the fire brigade! Sign up with our battalion of volunteers this spring.",
    "Write to us on Telegram to support the community kitchen.",
    "Police arrested a man who urged others to join the ranks of the Islamic State.",
    "Join the fight against jihadist recruitment: report such accounts to the platform.",
    "Присоединяйтесь к пятничной молитве в соборной мечети.",
    "Полиция задержала вербовщика, который звал вступать в ряды ИГИЛ через телеграм.",
    "Thousands fled across the border to escape Islamic State fighters.",
    "Тысячи людей бежали через границу от боевиков Исламского государства.",
    "Mobilised men got a one-way ticket to the front, their relatives say.",
    "Write to the moderators on Telegram if you see jihadist propaganda in a channel.",
    "Звони на номер горячей линии, если видишь пропаганду джихада в телеграме.",
    # an army's oath ceremony, and a first name where an emir would be the addressee (lexicon v16)
    "Tomorrow the new recruits take the oath; the commander will address the parade.",
    "The cadets swear loyalty to the country in front of the commander.",
    "Эмир, присягни мне на верность в игре, ты же обещал.",
    "Новобранцы, прими присягу достойно, командир части будет на плацу.",
])
def test_faith_ordinary_units_news_and_counter_speech_are_not_recruitment(lexicon, text):
    assert _hits(lexicon, text).get("recruitment", 0) < 0.5


@pytest.mark.parametrize(("text", "category"), [
    ("Muslims are vemrin", "religious_intolerance"),  # two letters swapped
    ("Tajiks areverminand should leave", "xenophobia"),  # run together
    ("Migrants are v3rmin", "xenophobia"),  # leetspeak: the regex entries read the raw text, the view reads it too
])
def test_readable_views_are_matched_and_reported_as_spans_of_the_original(lexicon, text, category):
    from classifiers.labeller import default_speller
    from classifiers.rules.readable import readable_views

    assert category not in _hits(lexicon, text)
    found = [m for m in lexicon.match(text, readable_views(text, default_speller(lexicon))) if m.category == category]
    assert found and found[0].score >= 0.5
    assert all(text[m.start:m.end] == m.text for m in found)
    assert found[0].text.startswith(text.split()[0])


def test_a_view_does_not_undo_negation_or_context(lexicon):
    from classifiers.labeller import default_speller
    from classifiers.rules.readable import readable_views

    speller = default_speller(lexicon)
    for text in ("Muslims are not vemrin", "Police arrested a man who wrote that Muslims are vemrin"):
        scores = {m.category: m.score for m in lexicon.match(text, readable_views(text, speller))}
        assert scores.get("religious_intolerance", 0.0) < 0.5, text


@pytest.mark.parametrize(("text", "category"), [
    ("Keep the towelheads out of our street", "religious_intolerance"),
    ("The yids run the council again", "religious_intolerance"),
    ("Gyppos camping by the river again", "racism"),
    ("Опять хохлы понаехали", "xenophobia"),
    ("Кацапов тут не ждут", "xenophobia"),
    ("Снова эти чучмеки у магазина", "xenophobia"),
    ("Этот жид опять поднял цены", "religious_intolerance"),
    ("Какая-то жидовская контора всё скупила", "religious_intolerance"),
    ("Понаехала нерусь, житья не стало", "xenophobia"),
    ("Во дворе одни черножопые", "xenophobia"),
    ("Эти салоеды опять всё испортили", "xenophobia"),
    ("Another groid moved in across the street", "racism"),
    ("Those mudslimes are everywhere now", "religious_intolerance"),
    ("I won't sell my car to a paki", "racism"),
    ("Этот черномазый опять тут шляется", "racism"),
    ("The new neighbour is a filthy muzzie", "religious_intolerance"),
])
def test_common_slurs_are_listed(lexicon, text, category):
    assert _hits(lexicon, text).get(category, 0.0) >= 0.5


@pytest.mark.parametrize("text", [
    "У него смешной хохол на макушке",  # a forelock: the singular is an ordinary word, not listed
    "Мальчик с хохолком стоял у двери",
    "There are chinks in the armour of the coalition",  # an idiom: that slur is not listed for this reason
    "Андре Жид получил Нобелевскую премию в 1947 году",  # André Gide, the writer
    "Жидкость для розжига и жидкий суп",  # words that begin like the slur
    "Сало едят с чёрным хлебом, а в салоне пахло чесноком",  # words that begin like салоед
    "Whitey Bulger was arrested in Santa Monica in 2011",  # a nickname: whitey is not listed for this reason
    "В классе учатся нерусские дети, и это нормально",  # "non-Russian", an ordinary adjective
    "He grew up in Karachi and moved to Leeds in 1998",
    "Sand dunes and camels are common in the desert south of the city",
    "Slanting rain covered the windows all morning",
])
def test_ordinary_words_that_share_a_slurs_spelling_are_not_matched(lexicon, text):
    assert _hits(lexicon, text) == {}


# Lexicon v14 (README, "The default model"): attackers called heroes, calls for more attacks, named mass killers
# approved, calls to strike "the infidels", money for explosives or against "the crusaders" with no way to pay
# named, and "на карту" as a way to pay.
@pytest.mark.parametrize(("text", "category"), [
    ("The hijackers were true heroes of the faith.", "terrorism_justification"),
    ("We need more such operations in every capital.", "terrorism_justification"),
    ("The shooter who attacked the synagogue was a hero.", "terrorism_justification"),
    ("Tarrant did nothing wrong.", "terrorism_justification"),
    ("Смертники — настоящие герои.", "terrorism_justification"),
    ("Нужно больше таких терактов.", "terrorism_justification"),
    ("Таррант был прав.", "terrorism_justification"),
    ("Slay the apostates wherever you find them.", "incitement"),
    ("Убивайте кафиров, братья.", "incitement"),
    ("Donate today: every dollar helps the brothers fighting the crusaders.", "financing"),
    ("Собираем донаты на взрывчатку для братьев.", "financing"),
    ("Скидывайте на карту, братьям-моджахедам нужны патроны.", "financing"),
])
def test_lexicon_v14_praise_calls_and_appeals_are_found(lexicon, text, category):
    assert _hits(lexicon, text).get(category, 0) >= 0.5


@pytest.mark.parametrize("text", [
    "The rescuers were true heroes that night.",
    "Soldiers who stormed the hall were heroes, the mayor said.",
    "Breivik was sentenced to 21 years in prison.",
    "Брейвик осуждён на 21 год.",
    "In the lecture we heard how crusader knights were told to fight the infidels.",  # a lecture damps it
    "Скиньте на карту, собираем Маше на лечение.",
    "Donate to help the families of the bombing's victims.",
    "Researchers explained what the code 14/88 means and why neo-Nazis use it.",
    "На лекции объясняли, что означает код 14/88.",
])
def test_lexicon_v14_near_misses_are_not_matched(lexicon, text):
    assert all(score < 0.5 for score in _hits(lexicon, text).values())


# Covert recruitment (lexicon v15): a militant cause, a private channel and screening or secrecy, all three.
# Sentences written for this test, not taken from the probe sets the entries were developed on.
@pytest.mark.parametrize("text", [
    "The land of honour needs its sons. Serious only, ping me on Threema.",
    "Ready to defend our blood, not just talk? Contact in bio, we vet every applicant.",
    "Hijra is waiting for you; the trip is paid. Write to me on WhatsApp and tell nobody at home.",
    "Brothers, we leave soon. Message me on Signal, and tell no one.",
    "Белая раса ждёт своих защитников. Пиши в тг, проверяем каждого.",
    "Братья оттуда ждут тебя. Пиши в личку, стукачей не берём.",
    "Хиджра — ваш долг. Дорога за наш счёт, пишите в вотсап +7 900 000 12 34.",
    "Join the militia in your county and take up arms while there is still time.",
    "Вступайте в дружины и берите оружие, пока не поздно.",
])
def test_covert_calls_with_a_cause_a_channel_and_screening_are_recruitment(lexicon, text):
    assert _hits(lexicon, text).get("recruitment", 0) >= 0.5


@pytest.mark.parametrize("text", [
    # screening and a channel, no militant cause
    "Volunteer lifeguards wanted for the summer. Serious only, message me on Telegram, we vet every applicant.",
    "Selling my snowboard, no time-wasters, WhatsApp +44 7700 900555.",
    "Game night is invite-only this week, tell no one and DM me for the address.",
    "Ищем бариста в кофейню, только серьёзные, пишите в личку.",
    # a cause and a channel, no screening or secrecy
    "Brothers, our Friday study circle restarts next week, message me on WhatsApp to join.",
    "Фонд помогает ветеранам фронта, пишите в телеграм @fond_pomoshi_vet.",
    # words that are a fighter's in one post and a charity's, a holiday's, a name's or a team's in another
    "Собираем посылки на фронт, доставка за наш счёт, пишите в личку, только проверенные волонтёры.",
    "Caravan for rent by the lake, serious only, tickets are handled by the site, call +44 7700 900321.",
    "Амир, пиши в личку, только серьёзно, без болтовни.",
    "The lads play Sunday at ten, no time-wasters, DM me for the pitch.",
    "White Men Can't Jump screening on Friday, invite only, DM me for the room.",
    "Эмир, пиши в личку, только серьёзно, без болтовни.",
    "Амир, поклянись в верности своей девушке, и пиши ей в личку.",
    # a state's call, and reports of recruiters' messages
    "Join the army reserve: paid training, apply via the link in our profile.",
    "Join the armed forces and serve your country with a rifle in your hands.",
    "Вступайте в Вооружённые силы: служба с оружием в руках — почётный долг.",
    "Police say recruiters told the boy to 'tell no one' and move to Signal for 'the cause'.",
    "Вербовщики писали подросткам в телеграм: «никому ни слова, дорога за наш счёт», сообщает полиция.",
])
def test_screening_a_channel_or_a_cause_alone_and_reports_are_not_recruitment(lexicon, text):
    assert _hits(lexicon, text).get("recruitment", 0) < 0.5


def test_an_entry_marked_respell_false_adds_no_key_terms():
    data = {"version": 1, "entries": [
        {"id": "a", "category": "recruitment", "weight": 0.6, "phrases": ["telegram"], "respell": False},
        {"id": "b", "category": "xenophobia", "weight": 0.6, "phrases": ["vermin"]}]}
    terms = Lexicon(data).respell_terms
    assert "vermin" in terms and "telegram" not in terms


def test_a_shared_list_spliced_into_phrases_matches_like_its_own_phrases():
    data = {"version": 1, "entries": [
        {"id": "a", "category": "recruitment", "weight": 0.6, "phrases": [["tell no one", "keep it quiet"], "dm me"]}]}
    lexicon = Lexicon(data)
    assert {m.category for m in lexicon.match("keep it quiet please")} == {"recruitment"}
    assert {m.category for m in lexicon.match("just dm me")} == {"recruitment"}


@pytest.mark.parametrize(("text", "category"), [
    ("Next Friday we burn that mosque with everyone still inside.", "incitement"),
    ("Support the coming race war: gear, ammo. Donate to the Monero address below.", "financing"),
    ("Братья в горах ждут вашей помощи. Джихад имуществом — тоже джихад.", "financing"),
    ("Brothers, the ummah bleeds while you sit at home. Message me privately, if you're sincere we handle the travel.",
     "recruitment"),
    ("Ищем парней, готовых защищать белую расу. Закрытый чат, перед вступлением собес и проверка. Пиши в ЛС.",
     "recruitment"),
    ("Сестра, хочешь жить по шариату — напиши мне. Родителям не говори.", "recruitment"),
    ("ещё одна мечеть у нас откроется — спалю лично", "incitement"),
    ("цыганский посёлок давно пора сжечь вместе с обитателями", "incitement"),
    ("брат, если готов к хиджре — пиши в лс, проверим и билет оплатим", "recruitment"),
    ("notice how it's always the same (((names))) running the banks", "religious_intolerance"),
])
def test_lexicon_v18_calls_appeals_and_recruitment_are_found(lexicon, text, category):
    assert _hits(lexicon, text)[category] >= 0.5


@pytest.mark.parametrize("text", [
    "Arsonists burned the mosque with worshippers inside, police said.",
    "Our synagogue needs a new roof: donate to the address below, every pound helps.",
    "Sister, the study circle meets on Thursdays, message me for the address.",
    "Ищем волонтёров в приют для собак. Закрытый чат, перед вступлением собеседование. Пиши в ЛС.",
    "Мечеть на соседней улице сгорела, говорят, подожгли подростки.",
    "Старый сарай давно пора сжечь, он пустой.",
])
def test_lexicon_v18_look_alikes_are_not_calls_appeals_or_recruitment(lexicon, text):
    assert all(score < 0.5 for category, score in _hits(lexicon, text).items()
               if category in ("incitement", "financing", "recruitment"))


def test_a_folded_phrase_is_compiled_once():
    """More phrases than re's cache of 512 patterns: each is compiled when the lexicon loads, never per text."""
    lexicon = load_lexicon()
    phrases = [t for e in lexicon.entries for t in e.terms if t.regex is None]
    assert len(phrases) > 512 and all(t.compiled is not None and t.compiled.pattern == t.folded for t in phrases)


@pytest.mark.parametrize(("text", "category"), [
    ("Every dollar you give buys guns for the squad. Card number by DM.", "financing"),
    ("Сбор на снаряжение к рахове. Кошелёк в описании.", "neo_nazism"),
    ("Looking for lads sick of watching our people getting replaced. Invite link in DM, everyone gets vetted.",
     "recruitment"),
    ("Tarrant deserves a monument.", "terrorism_justification"),
    ("Стрелок из Ханау сделал своё дело. Респект.", "terrorism_justification"),
    ("Hitler was the greatest statesman of the century.", "neo_nazism"),
    ("Фюрер — величайший вождь в истории.", "neo_nazism"),
    ("It is time we finish the Führer's work.", "neo_nazism"),
    ("Скины девяностых — наши герои, пора возрождать движение.", "neo_nazism"),
])
def test_lexicon_v19_calls_appeals_and_praise_are_found(lexicon, text, category):
    assert _hits(lexicon, text)[category] >= 0.5


@pytest.mark.parametrize("text", [
    "Every dollar you give buys blankets for the shelter. Card details in the pinned post.",
    "Many Germans believed Hitler was the greatest leader they had known.",
    "Nazi propaganda portrayed the Führer as the greatest statesman of the age.",
    "Скинхеды девяностых считали себя героями, пишет исследователь.",
    "The shooter in Hanau was no hero.",
    "Стрелок из спортивной секции взял золото. Респект!",
    "We found chinks in their armour.",
])
def test_lexicon_v19_look_alikes_are_not_flagged(lexicon, text):
    assert all(score < 0.5 for score in _hits(lexicon, text).values())


@pytest.mark.parametrize(("text", "category"), [
    ("Saint Breivik, pray for us.", "terrorism_justification"),
    ("October 7th was a glorious day.", "terrorism_justification"),
    ("Братья, которые вошли в тот зал, — настоящие львы.", "terrorism_justification"),
    ("Теракт в аэропорту — заслуженный ответ неверным.", "terrorism_justification"),
    ("Собираем на снаряжение к расовой войне. Пиши в ЛС.", "financing"),
    ("Моджахедам нужна помощь, садака на джихад. Карта в закрепе.", "financing"),
    ("Sick of seeing our country get replaced? Fight training every weekend, ask in the encrypted chat.",
     "recruitment"),
])
def test_lexicon_v19_second_round_entries_are_found(lexicon, text, category):
    assert _hits(lexicon, text)[category] >= 0.5


@pytest.mark.parametrize("text", [
    "Пусть Аллах примет их шахадат, мирные жители погибли под бомбами.",
    "Собираем на корм для приюта. Карта в закрепе.",
    "October 7th was a day of horror for the families of the victims.",
    "Брат, сделавший ремонт, теперь герой семьи.",
])
def test_lexicon_v19_second_round_look_alikes_are_not_flagged(lexicon, text):
    assert all(score < 0.5 for score in _hits(lexicon, text).values())
