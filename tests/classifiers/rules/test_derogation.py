"""Derogation frames: the lexicon's ``derogation`` section built into entries, and what they match.

The sentences here are written apart from the functional suite (classifiers/evaluation), so they check
the frames on wording the suite does not use.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.rules.derogation import alternation, derogation_entries, group_alternation
from classifiers.rules.matcher import Lexicon, load_lexicon, quoted, sentence_start

HATE = {"incitement", "xenophobia", "racism", "religious_intolerance"}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def _flagged(lexicon: Lexicon, text: str) -> dict[str, float]:
    return {m.category: m.score for m in lexicon.match(text) if m.score >= 0.5}


SPEC = {
    "groups": {"xenophobia": {"en": {"group": ["migrants"]}, "ru": {"any": ["мигрант*"]}},
               "racism": {"en": {"group": ["roma"]}}},
    "words": {"en": {"attribute": ["thieves", "a plague"], "free": {"regex": r"(?!not\b)[a-z]+"}}},
    "unless_before": {"en": ["don't think"], "ru": ["неверно"]},
    "frames": [
        {"id": "is", "weight": 0.7, "en": r"\b{group}\s+are\s+(?:{free}\s+)?{attribute}\b",
         "ru": r"(?<!\w){any}\s+воры"},
        {"id": "shoot", "weight": 0.6, "also": ["incitement"], "en": r"\bshoot\s+{group}\b"},
    ],
}


def test_each_frame_gives_one_entry_per_category_and_one_per_also():
    entries = {e["id"]: e for e in derogation_entries(SPEC)}
    assert set(entries) == {"derogation-is-xenophobia", "derogation-is-racism", "derogation-shoot-xenophobia",
                            "derogation-shoot-xenophobia-incitement", "derogation-shoot-racism",
                            "derogation-shoot-racism-incitement"}
    assert entries["derogation-shoot-racism-incitement"]["category"] == "incitement"
    assert len(entries["derogation-is-xenophobia"]["regex"]) == 2  # English and Russian
    assert len(entries["derogation-is-racism"]["regex"]) == 1  # no Russian words for it: no Russian pattern
    assert entries["derogation-is-racism"]["unless_before"] == ["don't think", "неверно"]


def test_filled_patterns_match_what_they_should():
    entries = {e["id"]: e for e in derogation_entries(SPEC)}
    english, russian = (re.compile(p, re.IGNORECASE) for p in entries["derogation-is-xenophobia"]["regex"])
    assert english.search("Migrants are a plague") and english.search("migrants are born thieves")
    assert not english.search("Migrants are not thieves")  # the free word is never a negation
    assert russian.search("мигрантов воры") and not russian.search("антимигрантские воры")


def test_alternation_is_a_trie_that_prefers_the_longer_word():
    words = ["a", "a plague", "c++", "мигрант*", "migrant", "migrants", "muslims"]
    pattern = alternation(words)
    assert pattern == r"(?:(?:a(?:\s+plague)?|c\+\+|m(?:igrant(?:s)?|uslims)|мигрант\w*))"
    assert all(re.fullmatch(pattern, w) for w in [*words[:3], "мигрантами", "a   plague"])
    assert re.match(pattern, "migrants are").group(0) == "migrants"
    assert re.match(pattern, "a plague on").group(0) == "a plague"


def test_an_unknown_placeholder_is_an_error_naming_the_frame():
    spec = {**SPEC, "frames": [{"id": "broken", "weight": 0.7, "en": "{group} {nonsense}"}]}
    with pytest.raises(ValueError, match="broken.*nonsense"):
        derogation_entries(spec)


@pytest.mark.parametrize(("text", "category"), [
    ("Muslims are filthy parasites.", "religious_intolerance"),
    ("All Jews are greedy by nature.", "religious_intolerance"),
    ("migrants r scum", "xenophobia"),
    ("Every Tajik is a thief.", "xenophobia"),
    ("Every single one of those refugees is a leech.", "xenophobia"),
    ("Kazakhs are wild animals.", "xenophobia"),
    ("Refugees? They are all criminals, every one of them.", "xenophobia"),
    ("Never trust a Jew.", "religious_intolerance"),
    ("You cannot trust any Chechen.", "xenophobia"),
    ("Nothing is worse than gypsies.", "racism"),
    ("Fucking immigrants everywhere.", "xenophobia"),
    ("Those scumbags, the Arabs, again.", "xenophobia"),
    ("Black people can rot in hell.", "racism"),
    ("Immigrants are ruining our country.", "xenophobia"),
    ("Migrants breed like rats.", "xenophobia"),
    ("I despise all Muslims.", "religious_intolerance"),
    ("We hate these filthy refugees.", "xenophobia"),
    ("Nobody wants Muslims here.", "religious_intolerance"),
    ("Refugees not welcome!", "xenophobia"),
    ("The only thing Jews deserve is a bullet.", "incitement"),
    ("Let's smash the shops of the Armenians.", "incitement"),
    ("Все мигранты — воры.", "xenophobia"),
    ("Цыгане по природе воры.", "racism"),
    ("Таджики это просто скоты", "xenophobia"),
    ("Таджики — наши враги.", "xenophobia"),
    ("Нельзя доверять евреям.", "religious_intolerance"),
    ("Сраные хачи опять тут.", "xenophobia"),
    ("Пусть эти мигранты проваливают домой.", "xenophobia"),
    ("Узбеки засрали весь город.", "xenophobia"),
    ("Я ненавижу чурок.", "xenophobia"),
    ("Мы презираем всех цыган.", "racism"),
    ("Нам не нужны мигранты.", "xenophobia"),
    ("Для мигрантов у нас один ответ — пуля.", "incitement"),
    ("Muslims are vemrin", "religious_intolerance"),  # misspelt: matched on the respelt view
])
def test_derogation_of_a_named_group_is_found(lexicon, text, category):
    from classifiers.labeller import default_speller
    from classifiers.rules.readable import readable_views

    assert category in {m.category for m in lexicon.match(text, readable_views(text, default_speller(lexicon)))
                        if m.score >= 0.5}


@pytest.mark.parametrize("text", [
    "Muslims are not vermin.",
    "Not all migrants are criminals.",
    "Saying that refugees are criminals is racist.",  # a counter-speech cue damps it
    '"Jews are vermin" is what the Nazis wrote.',  # quoted
    "Migrants are often victims of criminals.",
    "Refugees are tired after the long journey.",
    "Refugees are living in filth in the camps.",
    "Police said the migrants were robbed by thieves.",
    "Muslims are the fastest-growing religious group.",
    "Muslims are peaceful people, not terrorists.",
    "Jews are called vermin by neo-Nazis.",  # a participle reports the name, it does not give it
    "Jews were called vermin in Nazi propaganda.",
    "I love my Muslim neighbours, they are wonderful.",
    "Ukrainian refugees can go home once the war ends.",
    "Russians destroyed the bridge, officials said.",
    "The Chinese are investing in the region.",
    "I don't hate Muslims.",
    "Trust the refugees who rebuilt this town.",
    "The filthy rich Russians bought the club.",
    "Hatred of refugees is not welcome here.",
    "I don't think Arabs are dangerous at all.",  # denied before it in its sentence
    "It's a myth that Roma are thieves.",
    "Kazakhs are excellent horse riders.",
    "Мигранты — не воры.",
    "Не все мигранты — воры.",
    "Беженцы стали жертвами мошенников.",
    "Неправда, что все цыгане — воры.",
    "Мигрантов называют преступниками без оснований.",
    "Мигранты уезжают домой из-за кризиса.",
    "Я не ненавижу мигрантов.",
    "Неверно говорить, что чеченцы — преступники.",
])
def test_negated_denied_reported_and_neutral_mentions_are_not_flagged(lexicon, text):
    assert not (_flagged(lexicon, text).keys() & HATE)


@pytest.mark.parametrize(("text", "categories"), [
    # threats and calls to violence: the group's category and incitement
    ("We're gonna hunt down every last one of the Chechens.", {"xenophobia", "incitement"}),
    ("I will personally stab the first Jew I meet.", {"religious_intolerance", "incitement"}),
    ("Every refugee we catch near the camp will get a beating.", {"xenophobia", "incitement"}),
    ("Gypsies should all be hanged.", {"racism", "incitement"}),
    ("Muslims deserve to burn.", {"religious_intolerance", "incitement"}),
    ("I wish all the migrants were dead.", {"xenophobia", "incitement"}),
    ("Drive the Uzbeks out of the market, violently if you must.", {"xenophobia", "incitement"}),
    ("Перестреляем всех цыган.", {"racism", "incitement"}),
    ("Пора резать евреев.", {"religious_intolerance", "incitement"}),
    ("Мочить таджиков!", {"xenophobia", "incitement"}),
    ("Пусть все мигранты передохнут.", {"xenophobia", "incitement"}),
    ("Каждый чеченец, которого встретим, получит пулю.", {"xenophobia", "incitement"}),
    ("Выгоняйте армян из общежития силой.", {"xenophobia", "incitement"}),
    # exclusion, disgust, the stereotype
    ("Refugees have no right to live here.", {"xenophobia"}),
    ("Jews shouldn't be allowed to own land.", {"religious_intolerance"}),
    ("This country will be a far better place without the Roma.", {"racism"}),
    ("Never allow a single Arab into our neighbourhood.", {"xenophobia"}),
    ("Узбекам тут не место.", {"xenophobia"}),
    ("Не надо пускать к нам беженцев.", {"xenophobia"}),
    ("Россия станет гораздо спокойнее без кавказцев.", {"xenophobia"}),
    ("Immigrants disgust me.", {"xenophobia"}),
    ("Black people make me want to puke.", {"racism"}),
    ("От этих цыган воротит.", {"racism"}),
    ("Мигранты меня бесят.", {"xenophobia"}),
    ("Typical Tajiks - always begging.", {"xenophobia"}),
    ("Classic gypsy scam.", {"racism"}),
    ("Типичные узбеки — вечно опаздывают и врут.", {"xenophobia"}),
    # a conspiracy of the group, and the code for a people never named
    ("Wake up: the Jews run the banks and the press.", {"religious_intolerance"}),
    ("Jewish financiers engineered the crisis.", {"religious_intolerance"}),
    ("Hollywood is controlled by one tribe.", {"religious_intolerance"}),
    ("Жиды давно захватили всю власть.", {"religious_intolerance"}),
    ("Еврейские олигархи финансируют революции.", {"religious_intolerance"}),
    ("They control the world through money, and we all know it is the Jews.", {"religious_intolerance"}),
    # lexicon v11: wishes of drowning, a beating deserved, "once and for all", the object first in Russian,
    # the enemy, "worse than animals", breeding
    ("I hope every migrant boat sinks before it reaches our shore.", {"xenophobia", "incitement"}),
    ("Those Tajiks deserve a good beating, every last one.", {"xenophobia", "incitement"}),
    ("It's time to deal with the Jews once and for all.", {"religious_intolerance", "incitement"}),
    ("Надеюсь, все лодки с мигрантами потонут.", {"xenophobia", "incitement"}),
    ("Цыган надо стерилизовать, чтобы не плодились.", {"racism", "incitement"}),
    ("Пора разобраться с кавказцами раз и навсегда.", {"xenophobia", "incitement"}),
    ("The Jew is the eternal enemy of our people.", {"religious_intolerance"}),
    ("Муслимы хуже животных.", {"religious_intolerance"}),
    ("Кавказцы размножаются как крысы и скоро нас заменят.", {"xenophobia"}),
    # lexicon v13: the statement as a question, where the group belongs, "less than human", a threat to
    # "any X who ...", the imperfective and hunting infinitives, the first person burning a place of worship
    ("Aren't all Muslims just terrorists waiting for a chance?", {"religious_intolerance"}),
    ("In my opinion black people are closer to apes than to humans.", {"racism"}),
    ("Refugees are less than human.", {"xenophobia"}),
    ("Muslims belong in cages, not in our streets.", {"religious_intolerance"}),
    ("Место цыган — в клетке, а не на наших улицах.", {"racism"}),
    ("Any Jew who shows his face here will get a bullet.", {"religious_intolerance", "incitement"}),
    ("Я считаю, что всех беженцев надо расстреливать на границе.", {"xenophobia", "incitement"}),
    ("Мы будем отлавливать мигрантов по одному.", {"xenophobia", "incitement"}),
    ("Я сожгу каждую мечеть в этом городе.", {"religious_intolerance", "incitement"}),
])
def test_threats_exclusion_disgust_and_stereotypes_of_a_named_group_are_found(lexicon, text, categories):
    assert _flagged(lexicon, text).keys() & HATE == categories


@pytest.mark.parametrize("text", [
    "We will never hurt Muslims, whatever they say about us.",  # a negation after the modal
    "We must protect the Jews in this city.",
    "We need to stop those who kill migrants.",
    "Migrants should not be killed at the border.",
    "Refugees should not be allowed to drown in the sea.",  # the law of the sea, not exclusion
    "Thousands of refugees could die this winter, aid groups warn.",
    "Our town would be poorer without the Armenians.",
    "Hate has no place in our city: we stand with our Muslim neighbours.",
    "Typical Uzbek dishes include plov and samsa.",
    "I want to see more Roma students at the university.",
    "The Nazis wanted to exterminate the Jews; the museum tells their story.",  # history, past tense
    "Нацисты хотели уничтожить евреев, об этом рассказывает выставка.",  # an infinitive that is no call
    "Нельзя допустить, чтобы мигрантов били на улицах.",
    "Мы не будем гнать беженцев, это против закона.",
    "Для мигрантов в нашем городе всегда найдётся место.",
    "Без армян наш город был бы беднее.",
    "Мигранты мечтают увидеть свои семьи живыми.",
    "Antisemitic conspiracy theories claim that Jews control the world.",
    "The trope that Jews control the banks has a long and ugly history.",
    "Jewish bankers helped found the city's first hospital.",
    "Конспирологи уверяют, что евреи управляют миром, и это ложь.",
    "The myth that a secret cabal runs the world has been used against Jews for a century.",
    "Hitler wanted to deal with the Jews once and for all; six million were murdered.",
    "Rescuers hope none of the refugees drown tonight.",
    "Беженцы из Сирии надеются, что их дети не утонут в море.",
    "Муслим Магомаев пел на этом стадионе.",  # a first name, not the slang plural
    "Nobody here thinks Jews are vermin, that's absurd.",
    "Aren't all Muslims required to fast during Ramadan?",
    "Aren't refugees entitled to protection under international law?",
    "Migrants belong in our communities like everyone else.",
    "The exhibition shows how Nazi propaganda claimed Jews belong in camps.",
    "Место цыган в истории Европы долго замалчивалось.",
    "Any refugee who arrives here will get a bed and a hot meal.",
    "Any migrant who commits a crime will get a fair trial.",
    "Я никогда не сожгу эту церковь, это память моих предков.",
    "Полиция задержала мужчину, который грозился сжечь мечеть.",
    "Охотники начали отстреливать волков в районе.",
])
def test_protective_historical_and_neutral_sentences_are_not_threats(lexicon, text):
    assert not (_flagged(lexicon, text).keys() & HATE)


def test_a_denial_reaches_only_to_the_end_of_its_sentence(lexicon):
    assert not _flagged(lexicon, "I don't think Muslims are scum.")
    assert "religious_intolerance" in _flagged(lexicon, "I don't think so. Muslims are scum.")


@pytest.mark.parametrize(("text", "inside"), [
    ('He shouted "go home, dirty Jews" at them.', True),
    ("Она услышала «убирайтесь домой, грязные евреи» в школе.", True),
    ("He said \u201cgo home, dirty Jews\u201d and left.", True),
    ("Don't say dirty Jews, it's hateful.", False),  # the apostrophes of contractions are not quotes
    ('The "report" said dirty Jews were spotted.', False),  # a closed quotation before the words
    # straight single quotes that open after a space and close before a space or a punctuation mark
    ("When you say 'go home, dirty Jews', you repeat propaganda.", True),
    ("The students' union heard dirty Jews shouted, and that's it.", False),
    ("'Cause dirty Jews, that's why.", False),
    ("какой-то дед орал 'понаехали, грязные евреи' в автобусе", True),
    # „ closes with “ (German, Russian) or with ” (Polish, since lexicon v21)
    ("Kibol krzyczał „brudni Żydzi, won” pod synagogą.", True),
    ("Er rief „brudni Żydzi“ und ging.", True),
    ("„Cytat” zamknięty, a potem brudni Żydzi bez cudzysłowu.", False),
])
def test_quoted_finds_words_inside_a_quotation(text, inside):
    word = next(w for w in ("dirty Jews", "грязные евреи", "brudni Żydzi") if w in text)
    start = text.index(word)
    assert quoted(text, start, start + len(word)) is inside


def test_sentence_start():
    text = "First one. Second; third\nfourth"
    assert [sentence_start(text, text.index(w)) for w in ("First", "Second", "third", "fourth")] == [0, 10, 18, 25]


def test_a_sentence_is_looked_for_only_so_far_back():
    from classifiers.rules.matcher import SENTENCE_REACH

    text = "x" * (SENTENCE_REACH + 50)
    assert sentence_start(text, len(text) - 1) == len(text) - 1 - SENTENCE_REACH


def _naive_strongest(matches):
    kept = []
    for m in sorted(matches, key=lambda m: (-m.score, m.start)):
        if not any(k.category == m.category and k.start < m.end and m.start < k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.category))


@given(st.lists(st.tuples(st.sampled_from(["racism", "xenophobia"]), st.integers(0, 60), st.integers(1, 12),
                          st.sampled_from([0.35, 0.6, 0.7])), max_size=40))
def test_strongest_keeps_what_the_pairwise_rule_keeps(raw):
    from classifiers.rules.matcher import RuleMatch, _strongest

    matches = [RuleMatch(c, s, s + n, "", "e", w) for c, s, n, w in raw]
    assert _strongest(matches) == _naive_strongest(matches)


# Lexicon v14: forms a probe written apart from the suite found missing (README, "The default model"). The
# sentences here are not the probe's: each frame is tested on other wording, beside the near misses it must
# leave alone.
@pytest.mark.parametrize(("text", "categories"), [
    ("Why are gypsies so dirty and dishonest?", {"racism"}),
    ("Uzbeks always steal from the building sites.", {"xenophobia"}),
    ("Почему чеченцы вечно грабят и режут?", {"xenophobia"}),
    ("Every Pakistani I know is a liar, it's in their blood.", {"xenophobia"}),
    ("Все узбеки ленивые, это у них в крови.", {"xenophobia"}),
    ("Africans are less evolved than the rest of us.", {"racism"}),
    ("Азиаты тупее европейцев.", {"racism"}),
    ("Tomorrow we round up all the Kazakhs on this estate.", {"xenophobia", "incitement"}),
    ("Time to clean this city of migrants.", {"xenophobia", "incitement"}),
    ("We're going down to the station to beat some Chechens.", {"xenophobia", "incitement"}),
    ("Пора очистить район от мигрантов.", {"xenophobia", "incitement"}),
    ("Увижу ещё хоть одного таджика во дворе — убью.", {"xenophobia", "incitement"}),
    ("Мигрантам нельзя давать гражданство.", {"xenophobia"}),
    ("Таджики понаехали, пусть валят домой.", {"xenophobia"}),
    ("Refugees should never be given citizenship.", {"xenophobia"}),
    ("Syrians should pack up and go back to the desert.", {"xenophobia"}),
    ("Мигранты на стройке — сплошь воры.", {"xenophobia"}),
    ("М1гранты — паразиты.", {"xenophobia"}),  # "1" for "и" in a Cyrillic word
])
def test_lexicon_v14_forms_of_derogation_threat_and_exclusion_are_found(lexicon, text, categories):
    from classifiers.labeller import default_speller
    from classifiers.rules.readable import readable_views

    matches = lexicon.match(text, readable_views(text, default_speller(lexicon)))
    flagged = {m.category for m in matches if m.score >= 0.5}
    assert flagged & HATE == categories


@pytest.mark.parametrize("text", [
    "Why are Uzbeks so good at making plov?",
    "Migrants always send money home to their families.",
    "Мигранты всегда платят за жильё вовремя.",
    "Music is in their blood: the Roma have given Europe its best violinists.",
    "Police rounded up the gang that attacked migrants.",  # past tense, and the gang is rounded up
    "Volunteers clean the streets of litter every Sunday.",
    "We're going to the market to buy some Uzbek melons.",
    "Волонтёры очистили район от мусора.",
    "Увижу таджиков из нашей бригады — передам привет.",
    "Мигрантам нужно давать гражданство быстрее, считает эксперт.",
    "Refugees should not have to wait years for citizenship.",
    "Мигранты на стройке — настоящие профессионалы.",
    "Refugees will pack up and go back to their homes when the war ends.",
    "Азиатские рынки грязные и шумные, пишет турист.",  # the adjective names no people
])
def test_lexicon_v14_frames_leave_their_near_misses_alone(lexicon, text):
    assert not (_flagged(lexicon, text).keys() & HATE)


@pytest.mark.parametrize("text", [
    "Сталин выселил татар, а очистить Крым от евреев помогли фашисты.",
    "In 1915 the regime planned to cleanse the city of Armenians.",
])
def test_history_of_a_cleansing_is_not_a_call_to_one(lexicon, text):
    assert not (_flagged(lexicon, text).keys() & HATE) and not [m for m in lexicon.match(text) if "threat" in m.entry_id]


@pytest.mark.parametrize(("text", "categories"), [
    # humanity or a positive quality denied
    ("Those Uzbeks at the market aren't people, they're livestock in tracksuits.", {"xenophobia"}),
    ("Black people are not our equals and never will be.", {"racism"}),
    ("Roma are not capable of honest work.", {"racism"}),
    ("Immigrants from Eritrea are not human beings worth caring about.", {"xenophobia"}),
    ("Jews don't deserve respect.", {"religious_intolerance"}),
    ("Таджики — это не люди, это скот.", {"xenophobia"}),
    ("Укропы — не народ, а плесень.", {"xenophobia"}),
    ("Мусульмане никогда не будут нормальными людьми.", {"religious_intolerance"}),
    ("Евреи не заслуживают ни капли уважения.", {"religious_intolerance"}),
    # said in a relative clause, or of the group named before
    ("The council keeps housing Nigerians, who frankly are criminals waiting to happen.", {"xenophobia"}),
    ("Tajik workers redid our stairwell last week. Honestly, they're barely human.", {"xenophobia"}),
    ("Every Albanian I've ever met was a criminal.", {"xenophobia"}),
    ("Начальник взял на склад азербайджанцев, которые по определению ворьё.", {"xenophobia"}),
    ("Цыгане, которые поселились у нас на окраине, — воры и паразиты.", {"racism"}),
    ("Зачем нам столько мусульман, если они все потенциальные террористы?", {"religious_intolerance"}),
    ("Я считаю, что каждый мусульманин — потенциальный террорист.", {"religious_intolerance"}),
    # threats and calls that name the group before the call
    ("The Kurds took over the old dorms. They should all be driven out with dogs.", {"xenophobia", "incitement"}),
    ("Ukrainians keep pouring into our village. I wish they'd all just drop dead.", {"xenophobia", "incitement"}),
    ("Any Muslim who walks down our street tonight is going home in a bag.",
     {"religious_intolerance", "incitement"}),
    ("We know where the Romanian families live. Next week we burn them out.", {"xenophobia", "incitement"}),
    ("Time to go hunting refugees, grab your bats.", {"xenophobia", "incitement"}),
    ("В соседний дом заселили беженцев. Их надо гнать оттуда палками.", {"xenophobia", "incitement"}),
    ("Узбеки с третьего этажа, готовьтесь: ночью придём и выкинем вас через окно.", {"xenophobia", "incitement"}),
    ("Мы знаем, в какой общаге живут узбеки. Ночью придём и спалим.", {"xenophobia", "incitement"}),
    ("Нелегалов надо отлавливать и сразу в расход.", {"xenophobia", "incitement"}),
    ("Цыгане должны гореть.", {"racism", "incitement"}),
    # exclusion
    ("Muslims should be banned from voting and from holding public office.", {"religious_intolerance"}),
    ("Landlords should be free to refuse Africans.", {"racism"}),
    ("Hindus, who worship cows, have no place in a civilised country.", {"religious_intolerance"}),
    ("Мигрантам гражданство не давать никогда.", {"xenophobia"}),
    ("Сдам однушку. Армян, азеров и прочих с гор не беспокоить.", {"xenophobia"}),
    # attributes and a conspiracy
    ("My view: Christians are brainwashed idiots.", {"religious_intolerance"}),
    ("I genuinely believe Africans are a lower form of human.", {"racism"}),
    ("Имхо, негры — это тупиковая ветвь эволюции.", {"racism"}),
    ("Вам не кажется, что евреи специально стравливают русских между собой?", {"religious_intolerance"}),
    # the second round (probe-13)
    ("every single nigerian i've met was a scammer", {"xenophobia"}),
    ("i've never met a single black person who was actually smart", {"racism"}),
    ("a new chechen family moved in. people like them only know how to kill and steal.", {"xenophobia"}),
    ("any muslim who shows up at our meeting will leave in an ambulance", {"religious_intolerance", "incitement"}),
    ("next time i see a gypsy near my house im putting a bullet in him", {"racism", "incitement"}),
    ("migrants crossing the channel should be shot on sight", {"xenophobia", "incitement"}),
    ("roma kids shouldnt be allowed in schools with normal kids", {"racism"}),
    ("меня от цыган просто тошнит", {"racism"}),
    ("беженцы эти — саранча", {"xenophobia"}),
    ("мигранты = скот", {"xenophobia"}),
    ("африканцы в принципе не способны к нормальной жизни", {"racism"}),
    ("сдаётся квартира. кавказцам и азиатам не звонить", {"xenophobia", "racism"}),
    ("Все евреи хитрые и жадные, это у них в крови.", {"religious_intolerance"}),  # a free word joined by "и"
])
def test_lexicon_v18_forms_of_derogation_threat_and_exclusion_are_found(lexicon, text, categories):
    assert _flagged(lexicon, text).keys() & HATE == categories


@pytest.mark.parametrize("text", [
    "Refugees are not vermin. They are people running from war.",
    "Refugees are not people we should fear.",
    "Migrants aren't people to be pitied, they're neighbours.",
    "Мигранты — не люди второго сорта.",
    "Мигранты не тараканы, это люди, которые приехали работать.",
    "Refugees are not capable of returning home while the war goes on.",
    "Migrants don't deserve to be treated like this.",
    "i m moslem and i hate jihadists they r a bunch of terrorists",
    "Hatred against Armenians, or any people, has no place on this server.",
    "Muslims, who are our neighbours, have no place for hate in their hearts.",
    "We know where the Syrian families live: we will bring them more blankets next week.",
    "Police went hunting for the refugees' smugglers.",
    "Беженцев заселили в соседний дом. Их надо поддержать.",
    "Мигранты должны гореть на работе, как и все мы?",
    "У русских это животное стало священным.",
    "Наколи чурок для бани, дрова кончились.",
    "Подкинь ещё пару чурок в печку.",
    "с утра наколол чурок для бани",
    "I've never met a single Tajik who was rude to me.",
    "Migrants crossing the channel should be rescued, not left to drown.",
    "Roma kids should be allowed in every school.",
    "Африканцы в принципе способны на всё, как и все люди.",
    "Мигранты = рабочие руки, без них стройка встанет.",
    "Китайцы придумали хитрые схемы обхода санкций.",
    "Китайцы придумали хитрые и жадные схемы.",  # the free word is the verb: "хитрые" is no attribute
])
def test_lexicon_v18_frames_leave_their_near_misses_alone(lexicon, text):
    assert not (_flagged(lexicon, text).keys() & HATE)


@pytest.mark.parametrize(("text", "denied"), [
    ("Refugees are not vermin. They are people running from war.", "Refugees are not vermin"),
    ("chinese people aren't 'dirty', that's a racist myth", "chinese people aren't 'dirty"),
    ("Цыгане не воры, хватит уже этих тупых стереотипов.", "Цыгане не воры"),
    ("Мигранты — вовсе не тараканы, это люди.", "Мигранты — вовсе не тараканы"),
    ("Евреи ничем не управляют, это бред.", "Евреи ничем не управляют"),
    ("No, Jews don't control the media.", "Jews don't control the media"),
])
def test_a_denied_derogation_is_found_for_the_models_re_read(lexicon, text, denied):
    start = text.index(denied)
    assert lexicon.denials(text) == [(start, start + len(denied))]
    assert not (_flagged(lexicon, text).keys() & HATE)


@pytest.mark.parametrize("text", [
    "Мигранты — не люди, а скот.",  # humanity denied: hate (the frame not-human), no denial of hate
    "Refugees are not people we should fear.",  # no derogation denied
    "Refugees are vermin.",
    "Not all refugees are criminals, but most are.",
])
def test_what_is_not_a_denied_derogation(lexicon, text):
    from classifiers.rules.derogation import negation_patterns

    assert lexicon.denials(text) == [] and negation_patterns(None) == []


@pytest.mark.parametrize(("text", "categories"), [
    # a "who" clause between the group and its attribute or its call
    ("The Georgians who run the car wash are parasites and should be driven out.", {"xenophobia"}),
    ("Syrians who come here deserve to be beaten at the border.", {"xenophobia", "incitement"}),
    ("No Muslim has ever built anything useful in this town.", {"religious_intolerance"}),
    ("Jews only care about money, always have.", {"religious_intolerance"}),
    ("Nothing makes me sicker than seeing more Somalis move onto our street.", {"xenophobia"}),
    ("Kurds? Animals, not people.", {"xenophobia"}),
    ("Another van of Afghans arrived today. Vermin, every one.", {"xenophobia"}),
    # threats against the group's places, or from those who know them
    ("That asylum seeker hostel should be torched.", {"xenophobia", "incitement"}),
    ("Any Chinese we catch on this road is getting his face smashed.", {"xenophobia", "incitement"}),
    ("We know which houses the Tatars rent. Tonight we pay them a visit.", {"xenophobia", "incitement"}),
    ("Армяне со второго подъезда, ждите: в пятницу придём, мало не покажется.", {"xenophobia", "incitement"}),
    # exclusion
    ("Bars should stop serving Roma.", {"racism"}),
    ("Not a single Uzbek in our school!", {"xenophobia"}),
    ("Refugees should be kept in camps behind barbed wire.", {"xenophobia"}),
    ("Цыган надо держать в резервациях.", {"racism"}),
    ("Надо запретить сдавать квартиры таджикам.", {"xenophobia"}),
    ("Никаких мигрантов в нашем дворе, пусть живут у себя.", {"xenophobia"}),
    # humanity denied, an insult after the group, a clause of what they bring
    ("Буряты вообще не нормальные люди.", {"xenophobia"}),
    ("Видел новых соседей-чеченцев. Твари, а не люди.", {"xenophobia"}),
    ("У нас в подъезде одни узбеки. Мрази!", {"xenophobia"}),
    ("Мигранты, от которых одни паразиты и грязь, пусть уезжают.", {"xenophobia"}),
    ("Беженцы, которых привезли в город, не заслуживают даже куска хлеба.", {"xenophobia"}),
    # a group's name with its space dropped, a misspelt group, the "chinks" slur
    ("Whitepeople are parasites.", {"racism"}),
    ("The chinks bought the whole block.", {"racism"}),
    ("Jews control everything.", {"religious_intolerance"}),
])
def test_lexicon_v19_forms_of_derogation_threat_and_exclusion_are_found(lexicon, text, categories):
    assert _flagged(lexicon, text).keys() & HATE == categories


@pytest.mark.parametrize("text", [
    "Migrants who commit crimes are criminals like anyone else.",  # a clause of crime: a tautology
    "Muslims who say Jews are evil are wrong.",  # a clause of speech
    "Refugees who were attacked should be protected.",
    "Nothing makes me sicker than seeing refugees mistreated.",
    "Nothing makes me sicker than people who attack migrants.",
    "Refugees are treated like animals, not people.",
    "Police arrested two migrants. Criminals like them are rare here.",  # not an insult opening a sentence
    "Landlords should not refuse to rent to Africans.",
    "Employers should never stop hiring migrants.",
    "Not a single migrant in our town was arrested last year.",
    "Ни одного мигранта в нашем районе не задержали.",
    "Лезгины пасли скот в горах.",  # a plural verb is not the free word before an attribute
    "Штраф для мигрантов без патента такой, что мало не покажется.",
    "С беженцами обращаются как со скотом, а не с людьми.",
    "Паразиты — это те, кто называет мигрантов паразитами.",
    "Кто пишет, что беженцы — паразиты, пусть сам поживёт под обстрелами.",
    "There are chinks in their defence.",
    "Jews care about money as much as anyone else does.",
])
def test_lexicon_v19_frames_leave_their_near_misses_alone(lexicon, text):
    assert not (_flagged(lexicon, text).keys() & HATE)


def test_a_groups_name_may_lose_its_spaces_and_no_other_words_do():
    assert re.fullmatch(group_alternation(["black people"]), "blackpeople")
    assert re.fullmatch(group_alternation(["black people"]), "black  people")
    assert not re.fullmatch(alternation(["a bunch of"]), "abunchof")


@pytest.mark.parametrize(("text", "category"), [
    ("Blcaks are parasites.", "racism"),
    ("Afrcans are thieves.", "racism"),
    ("Gpysies are thieves.", "racism"),
])
def test_lexicon_v19_group_names_are_respelt_in_the_readable_view(lexicon, text, category):
    from classifiers.labeller import default_speller
    from classifiers.rules.readable import readable_views

    assert category not in _flagged(lexicon, text)
    views = readable_views(text, default_speller(lexicon))
    assert category in {m.category for m in lexicon.match(text, views) if m.score >= 0.5}


@pytest.mark.parametrize(("text", "categories"), [
    # the second round (probe-15)
    ("Saw the Roma by the bus stop again. I despise those people.", {"racism"}),
    ("To the Kurds in block 4: we know where you live.", {"xenophobia", "incitement"}),
    ("Every Arab who comes to our rally is getting thrown out and beaten.", {"xenophobia", "incitement"}),
    ("Syrians who settle in our village should be strung up.", {"xenophobia", "incitement"}),
    ("Get lost, you Afghan scumbags.", {"xenophobia"}),
    ("Roma, who never pay rent, should never be given social housing.", {"racism"}),
    ("I'd never hire a Pakistani.", {"xenophobia"}),
    ("A Chechen family moved in upstairs. Dirty animals, the lot of them.", {"xenophobia"}),
    ("Muslims are never truly peaceful.", {"religious_intolerance"}),
    ("Somali men can't be civilised.", {"xenophobia"}),
    ("Indians are the dirtiest people alive.", {"xenophobia"}),
    ("The Afghans poured into town like locusts.", {"xenophobia"}),
    ("Room available near the station, no Africans.", {"racism"}),
    ("Мигранты налетели на рынок как саранча.", {"xenophobia"}),
    ("Цыгане, что живут на окраине, — ждите, придём с битами.", {"racism", "incitement"}),
    ("Таджики, вы следующие.", {"xenophobia", "incitement"}),
    ("Всех узбеков пора к стенке.", {"xenophobia", "incitement"}),
    ("Евреи, которые сидят в банках, не должны получать гражданство.", {"religious_intolerance"}),
    ("Опять статья про армян. Воры и жулики, все как один.", {"xenophobia"}),
    ("Казахи никогда не были благодарными.", {"xenophobia"}),
    ("Никогда не встречал честного цыгана.", {"racism"}),
    ("Евреи умеют хоть что-то, кроме как деньги считать?", {"religious_intolerance"}),
    ("Русские — нация алкашей.", {"xenophobia"}),
    ("Сдаю комнату, без азиатов.", {"racism"}),
])
def test_lexicon_v19_second_round_forms_are_found(lexicon, text, categories):
    assert _flagged(lexicon, text).keys() & HATE == categories


@pytest.mark.parametrize("text", [
    "Refugees are suffering and I hate them being treated this way.",
    "Refugees who fled the war are living like rats in those camps.",
    "Migrants were treated like vermin by the smugglers.",
    "Мигранты живут как крысы в подвалах, и никому нет дела.",
    "Я ни разу не встречал таких гостеприимных людей, как грузины.",
    "Нацисты отправляли евреев в газовые камеры.",
    "Сдам квартиру без посредников, можно с детьми.",
    "Muslims are never mentioned in the report.",
    "I'd never hire someone for their religion, Muslim or not.",
])
def test_lexicon_v19_second_round_near_misses_are_left_alone(lexicon, text):
    assert not (_flagged(lexicon, text).keys() & HATE)
