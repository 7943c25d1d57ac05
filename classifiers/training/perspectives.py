"""Hard negatives that speak about hate from outside it, in English and Russian: none may be flagged.

:mod:`classifiers.training.contrast` teaches that quoting, rebutting and reporting hate is not hate.
Three more families (kind ``contrast``, made when a route sets ``perspectives_per_language``):

* ``history``: encyclopedic accounts of Nazism, the Holocaust, pogroms, deportations, lynching and
  terrorism, in the register of a textbook or a museum;
* ``self``: a member of a group speaking of their own origin, faith or experience of prejudice;
* ``solidarity``: people standing against neo-Nazis and extremists, and against hate of a group.

0.7.0's English route reads such texts as neo-Nazism (a history lesson on the Warsaw Ghetto at 0.52, "As a
Black woman in tech …" at 0.49, against a threshold of 0.33), likely for the words they share with the forum
it learned neo-Nazism from, whose negatives hold no history lesson or first-person account. The families
were written after a development probe (``probe-9``) showed it; they share no five words with any probe set,
the functional suite or the synthetic templates (a test checks). Measured on 2026-12-06 and off by default:
they cleared most of ``probe-9``'s English false flags at two seeds, the held-out ``probe-10`` did not confirm
it, and the retrain gate refused both models (README, "History, first-person and solidarity negatives").
"""

from __future__ import annotations

import random

from classifiers.groups import GROUPS
from classifiers.training.contrast import fill_frame
from classifiers.training.data import Example

LANGUAGES = ("en", "ru")
SHARES = {"history": 0.4, "self": 0.3, "solidarity": 0.3}

HISTORY = {
    "en": [
        "In January 1942 senior Nazi officials met at a villa on the Wannsee to coordinate the murder of Europe's Jews.",
        "The Warsaw Ghetto uprising began in April 1943, when Jewish fighters resisted the final deportations.",
        "Mobile killing units followed the German army east in 1941, and mass shootings of Jewish civilians began within weeks.",
        "During the November pogrom of 1938 rioters set fire to synagogues and looted Jewish businesses in hundreds of towns.",
        "The Nuremberg Laws of 1935 stripped German Jews of citizenship and banned marriages with non-Jews.",
        "Roma and Sinti were also targeted for extermination by the Nazi regime; the genocide is known as the Porajmos.",
        "Whole peoples of the North Caucasus were put on trains in 1944 on Stalin's orders and sent thousands of kilometres east.",
        "In May 1944 the Soviet state sent the whole Crimean Tatar people into exile; they could return only decades later.",
        "For decades lynching terrorised Black communities across the American South; historians have documented thousands of victims.",
        "The Ku Klux Klan was founded after the American Civil War and revived in the 1920s with millions of members.",
        "The Armenian genocide of 1915 cost the lives of up to a million and a half people.",
        "In 1994 about 800,000 people, most of them Tutsi, were killed in Rwanda within a hundred days.",
        "The Srebrenica massacre of July 1995 took the lives of more than 8,000 Bosniak men and boys.",
        "Anti-Jewish pogroms swept through the towns of the Russian Empire in 1881 and again in 1903 and 1905.",
        "The museum's new wing tells the story of the Jewish families of the town who were deported in 1942.",
        "Apartheid in South Africa classified every citizen by race and kept Black South Africans out of whole cities.",
        "The Nazi propaganda ministry produced films and posters that portrayed {g} as a threat to the nation.",
        "The history teacher explained how the Nazi party rose to power in 1933 through elections and street violence.",
        "The 2004 school siege in Beslan, carried out by a terrorist group, killed more than 330 people, most of them children.",
        "After the 1995 Oklahoma City bombing, investigators traced the attacker's ideas to the militia movement.",
        "The archive holds the testimony of {g} who survived the pogrom of 1905 in the city.",
        "Historians estimate that tens of thousands of {g} were forced from their homes during the wartime deportations.",
        "The memorial lists the names of the {g} murdered in the massacre, family by family.",
        "In the 1930s many European newspapers printed racist caricatures of {g}; the exhibition shows a selection.",
        "Anne Frank's diary records two years in hiding in Amsterdam before her family was betrayed and deported.",
        "The neo-Nazi movement of the 1980s spread through skinhead music scenes in Britain and Germany.",
    ],
    "ru": [
        "В январе 1942 года на вилле у озера Ванзее нацистские чиновники согласовали план уничтожения евреев Европы.",
        "Восстание в Варшавском гетто началось в апреле 1943 года, когда евреи с оружием встретили последние депортации.",
        "Осенью 1941 года айнзацгруппы начали массовые расстрелы еврейского населения на оккупированных территориях.",
        "В «Хрустальную ночь» в ноябре 1938 года по всей Германии горели синагоги и громили еврейские магазины.",
        "Нюрнбергские законы 1935 года лишили евреев Германии гражданства.",
        "Нацисты уничтожали и цыган: этот геноцид называют Порраймос.",
        "Зимой 1944 года по приказу Сталина чеченский и ингушский народы целиком выселили в Среднюю Азию; тысячи людей не пережили дороги.",
        "Депортация крымских татар весной 1944 года заняла всего несколько дней; вернуться на родину они смогли лишь спустя десятилетия.",
        "Геноцид армян 1915 года унёс жизни до полутора миллионов человек.",
        "Волна еврейских погромов прокатилась по городам Российской империи в 1881 году и снова в 1903–1905 годах.",
        "Кишинёвский погром 1903 года стал одним из самых известных преступлений черносотенцев.",
        "В 1994 году в Руанде за сто дней убили около 800 тысяч человек, в основном тутси.",
        "Захват школы в Беслане террористами в сентябре 2004 года закончился гибелью более 330 человек, большинство из них — дети.",
        "В новом зале музея рассказывают о еврейских семьях города, угнанных в 1942 году.",
        "Нацистская пропаганда изображала {gen} угрозой для нации: плакаты тех лет показаны в экспозиции.",
        "На уроке истории учитель объяснял, как нацисты пришли к власти в 1933 году.",
        "В архиве хранятся воспоминания {gen}, переживших погром 1905 года.",
        "По оценкам историков, в годы войны из родных мест были выселены десятки тысяч {gen}.",
        "На мемориале высечены имена {gen}, погибших во время резни, — семья за семьёй.",
        "В 1930-е годы многие европейские газеты печатали расистские карикатуры на {gen}; на выставке собраны некоторые из них.",
        "Дневник Анны Франк описывает два года в укрытии в Амстердаме, пока семью не выдали и не депортировали.",
        "Блокада Ленинграда длилась 872 дня; нацистское командование планировало уморить город голодом.",
        "В Хатыни в марте 1943 года каратели сожгли заживо жителей деревни вместе с детьми.",
        "Неонацистские группировки 2000-х годов в России совершили десятки убийств, их лидеры осуждены.",
        "Нападение террористов на концертный зал в Красногорске весной 2024 года стоило жизни более чем 140 людям.",
        "Апартеид в ЮАР делил граждан по расе и запрещал чернокожим жить во многих районах городов.",
    ],
}

SELF = {
    "en": [
        "I'm one of the {g} who came here as a student twenty years ago, and this city is home now.",
        "As one of the {g} living in a little town, I got used to questions about where I'm really from.",
        "Growing up among {g}, I learned my grandmother's language before I learned the one at school.",
        "We {g} celebrate our new year with the whole family; my kids love it more than birthdays.",
        "Being one of the {g} at work means I'm asked to explain every headline. I'm tired, but I stay.",
        "My parents are {g} and worked night shifts for years so that I could go to university.",
        "I'm proud to be one of the {g}, and proud of the country I grew up in too.",
        "People like me, {g} born here, get stopped by the police more often. Here is what that feels like.",
        "As a Black man I get trailed by shop security so often that I stopped keeping track.",
        "As a Muslim I fast in Ramadan and still go to football practice; my coach adjusts the schedule.",
        "As a Jew I light candles on Friday evening, and my neighbours sometimes join us for dinner.",
        "Being a Black woman in engineering, I mentor three students who look like me.",
        "I'm a refugee, I arrived with one bag, and today I opened my own repair shop.",
        "I'm a migrant nurse; I have worked on the night ward for eleven years.",
        "My family are {g}, and our recipes travelled with us across three borders.",
        "Some days being one of the {g} here is hard, but my friends and neighbours make it easier.",
    ],
    "ru": [
        "Мы, {nom}, живём в этом городе уже третье поколение, и он давно стал нам родным.",
        "Я сам из {gen}, приехал учиться двадцать лет назад и остался.",
        "Мои родители — {nom}, они годами работали в ночные смены, чтобы я смог выучиться.",
        "Я горжусь тем, что я из {gen}, и горжусь страной, в которой вырос.",
        "Нас, {gen}, на работе часто просят объяснить каждую новость. Устаю, но не ухожу.",
        "Я мусульманин, держу пост в Рамадан и при этом хожу на тренировки, тренер идёт навстречу.",
        "Я еврей, по пятницам мы зажигаем свечи, и соседи иногда приходят к нам на ужин.",
        "Я беженка, приехала с одной сумкой, а сегодня открыла свою мастерскую.",
        "Я приезжий, одиннадцать лет работаю медбратом в ночном отделении.",
        "В нашей семье все {nom}, и бабушкины рецепты переехали с нами через три границы.",
        "Бывает непросто быть одним из {gen} в маленьком городе, но друзья и соседи помогают.",
        "Мы, {nom}, встречаем свой Новый год всей семьёй, дети ждут его больше, чем дня рождения.",
        "Я вырос среди {gen} и выучил бабушкин язык раньше, чем школьный.",
        "Нас, {gen}, рождённых здесь, чаще останавливают для проверки документов. Расскажу, каково это.",
        "Я чернокожий москвич по рождению, а незнакомцы всё равно уточняют, откуда я на самом деле.",
        "Я из {gen} и работаю учителем в обычной школе; дети зовут меня по имени-отчеству.",
    ],
}

SOLIDARITY = {
    "en": [
        "Thousands marched through the centre today to say no to the neo-Nazis; {g} and their neighbours walked side by side.",
        "The far-right rally drew forty people; the counter-protest against it drew two thousand.",
        "Residents formed a human chain around the mosque after the threats, and the prayers went ahead.",
        "Football fans unfurled a banner against racism before the match, and the whole stadium applauded.",
        "If your politics needs an enemy among {g}, your politics has failed.",
        "Neo-Nazis want us divided. We answer by standing with the {g} who live next door.",
        "Our union will defend every worker, {g} included, against threats and discrimination.",
        "The church, the synagogue and the mosque held a joint vigil for those killed in the bombing.",
        "Students painted over the swastikas on the underpass and wrote messages of welcome instead.",
        "Proud of our town: when extremists tried to march, people of every faith turned out to stop them.",
        "Extremists claim to speak for {g}. They do not; the {g} I know condemned the attack first.",
        "Terror wants neighbours to fear neighbours; this city answered by mourning together.",
        "Volunteers escorted the children of {g} to school after the threats, every morning for a month.",
        "Anti-racism workshops in schools taught pupils to spot propaganda and to stand up for classmates.",
        "Hate has no home here: the shops on our street put the sign in their windows after the attack.",
        "The mayor thanked everyone who cleaned the racist graffiti off the walls of the community centre overnight.",
    ],
    "ru": [
        "Тысячи людей прошли сегодня по центру города против неонацистов; {nom} и их соседи шли рядом.",
        "На митинг ультраправых пришли сорок человек, на акцию против них — две тысячи.",
        "После угроз жители взялись за руки вокруг мечети, и молитва прошла спокойно.",
        "Болельщики развернули баннер против расизма перед матчем, и весь стадион аплодировал.",
        "Если твоей политике нужен враг в лице {gen}, такая политика никуда не годится.",
        "Неонацисты хотят нас разделить. Мы отвечаем тем, что стоим рядом с соседями, кто бы они ни были.",
        "Наш профсоюз будет защищать каждого работника, в том числе {gen}, от угроз и дискриминации.",
        "Церковь, синагога и мечеть провели совместную панихиду по жертвам теракта.",
        "Студенты закрасили свастики в подземном переходе и написали слова приветствия.",
        "Горжусь нашим городом: когда экстремисты попытались пройти маршем, люди всех вер вышли им навстречу.",
        "Экстремисты заявляют, что говорят от имени {gen}. Это неправда: знакомые мне {nom} первыми осудили нападение.",
        "Террор хочет, чтобы соседи боялись соседей; город ответил общим трауром.",
        "После угроз волонтёры месяц каждое утро провожали в школу детей, чьи родители {nom}.",
        "На школьных занятиях против ксенофобии дети учатся распознавать пропаганду и заступаться за одноклассников.",
        "Ненависти здесь не место: после нападения магазины на нашей улице повесили такой плакат.",
        "Мэр поблагодарил всех, кто за ночь отмыл расистские надписи со стен дома культуры.",
    ],
}

FAMILIES = {"history": HISTORY, "self": SELF, "solidarity": SOLIDARITY}


def perspective_examples(seed: int, per_language: int) -> list[Example]:
    """About ``per_language`` negatives per language from the three families (shares :data:`SHARES`),
    every template with placeholders filled with groups spread over :mod:`classifiers.groups`, one without
    used once; deterministic for a seed."""
    rng = random.Random(seed)
    out: list[Example] = []
    for language in LANGUAGES:
        rows: dict[str, Example] = {}
        for family, share in SHARES.items():
            count = round(per_language * share)
            templates = FAMILIES[family][language]
            pairs = [(t, g) for t in templates if "{" in t for g in GROUPS]
            rng.shuffle(pairs)
            fixed = [(t, None) for t in templates if "{" not in t]
            picks = (fixed + pairs)[:max(count, len(fixed))] if count else []
            for template, group in picks:
                text = fill_frame(template, group, language, rng)
                rows.setdefault(text, Example(text, language, (), "contrast", kind="contrast",
                                              group=group.key if group else None))
        out += rows.values()
    return out
