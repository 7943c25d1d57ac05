"""Templates nothing may flag, in English and Russian: negated hate, counter-speech that quotes hate or
refers to it, news of attacks and arrests, condemnation, history, and neutral and positive mentions of
every group (the per-group false-positive rate).

The CSTO statement: extremism "must not - and cannot - be associated with any religion,
nationality, civilisation, or ethnic group", and news, research and counter-speech about it are
not propaganda. Written for this suite, distinct from the training templates.
"""

from __future__ import annotations

# name: (templates per language, groups per template: 0 = every group); a template without a
# placeholder is used once.
CONTRAST: dict[str, tuple[dict[str, list[str]], int]] = {
    "negation": ({
        "en": ["I would never tell anyone to hurt migrants; that idea is vile.",
               "No, Muslims are not terrorists, and saying so only helps the real extremists.",
               "{G} are not vermin, and no one deserves to be called that.",
               "It is wrong to say that {g} are criminals.",
               "I don't think {g} are dangerous at all.",
               "{G} are not a threat to this country.",
               "There is no truth in the claim that {g} are lazy.",
               "Nobody should ever say that {g} are less than human.",
               "I will never hate {g} just because of who they are.",
               "{G} are not parasites; most of them work two jobs to feed their families."],
        "ru": ["Я никогда не призову причинять вред мигрантам, это мерзко.",
               "Нет, мусульмане не террористы, и такие слова помогают только настоящим экстремистам.",
               "{Nom} — не паразиты, и никто не заслуживает таких слов.",
               "Неверно говорить, что {nom} — преступники.",
               "Я вовсе не думаю, что {nom} опасны.",
               "{Nom} не представляют угрозы для нашей страны.",
               "В утверждении, что {nom} ленивы, нет ни слова правды.",
               "Никто не вправе называть {gen} недочеловеками.",
               "Я никогда не буду ненавидеть {gen} просто за то, кто они есть.",
               "{Nom} не нахлебники: многие из них работают на двух работах, чтобы прокормить семью."],
    }, 4),
    "counter_speech_quote": ({
        "en": ["Someone spray-painted 'sieg heil' on the synagogue wall. This is disgusting and we condemn it.",
               "Recruiters tell teenagers to 'make hijra'. Parents, talk to your children: this is a trap that ends in death.",
               "\"{G} are parasites\" is written on a flyer in our lobby. That is hate, and we have reported it.",
               "Someone in the chat wrote that \"{g} should be thrown out\". Shameful. Our neighbours belong here.",
               "When you say \"{g} are all criminals\", you are spreading a lie. Please stop.",
               "My son heard \"go home, dirty {g}\" at school today. We talked about why those words hurt.",
               "Posting \"kill the {g}\" is not free speech, it is a threat, and it will be removed.",
               "A man shouted \"{g} out!\" at the rally. The crowd answered him with silence.",
               "\"{G} are animals\"? No. They are our neighbours, colleagues and friends."],
        "ru": ["Кто-то написал «зиг хайль» на стене синагоги. Это отвратительно, мы это осуждаем.",
               "Вербовщики зовут подростков «совершить хиджру». Родители, поговорите с детьми: это ловушка.",
               "На листовке в нашем подъезде написано «{nom} — паразиты». Это ненависть, мы сообщили куда следует.",
               "Кто-то в чате написал, что «{gen} надо выгнать». Позор. Наши соседи живут здесь по праву.",
               "Когда ты говоришь «{nom} — все преступники», ты распространяешь ложь. Прекрати.",
               "Мой сын услышал в школе «убирайтесь домой, грязные {nom}». Мы поговорили о том, почему такие слова ранят.",
               "Пост «бей {gen}» — это не свобода слова, а угроза, и его удалят.",
               "На митинге мужчина крикнул «{nom}, вон!». Толпа ответила ему молчанием.",
               "«{Nom} — животные»? Нет. Это наши соседи, коллеги и друзья."],
    }, 4),
    "counter_speech_reference": ({
        "en": ["The post you shared about {g} is racist nonsense; please delete it.",
               "Stop spreading hateful lies about {g}. They are our neighbours.",
               "I'm tired of the bigotry towards {g} in this group. It has to end.",
               "What that politician said about {g} yesterday was dehumanising and dangerous.",
               "Jokes that mock {g} are not harmless; they feed real hatred.",
               "Dear admins, the comments attacking {g} under this video break the rules.",
               "Those insults aimed at {g} in the stadium were shameful, and the club must act.",
               "If you hear someone insult {g}, speak up. Silence helps the haters."],
        "ru": ["Пост про {gen}, которым ты поделился, — расистская чушь, удали его.",
               "Хватит распространять злобную ложь про {gen}. Они наши соседи.",
               "Надоела нетерпимость к {dat} в этой группе. Пора это прекратить.",
               "То, что вчера сказал этот политик про {gen}, — расчеловечивание, и это опасно.",
               "Шутки, которые высмеивают {gen}, не безобидны: они подпитывают настоящую ненависть.",
               "Уважаемые админы, комментарии с нападками на {gen} под этим видео нарушают правила.",
               "Оскорбления в адрес {gen} на стадионе — позор, клуб должен принять меры.",
               "Если слышите, как кто-то оскорбляет {gen}, не молчите. Молчание помогает ненавистникам."],
    }, 4),
    # A claim someone else makes, named without quotation marks and rejected in the same or the next
    # sentence (since lexicon v10: the rules' attributed_claims, and the model's re-read without the claim).
    "counter_speech_attributed": ({
        "en": ["Saying {g} are criminals is simply wrong.",
               "My cousin keeps claiming {g} are parasites. That is a prejudice, and I told him so.",
               "When a newspaper writes that {g} are dangerous, it spreads misinformation.",
               "If you think {g} are subhuman, you are the problem.",
               "Some accounts posted that {g} are vermin; the platform removed it as hate speech.",
               "The belief that {g} are lazy by nature is a stereotype with no basis.",
               "He tweeted that {g} are animals, and his club called it racist and suspended him."],
        "ru": ["Говорить, что {nom} — преступники, просто неправильно.",
               "Мой двоюродный брат всё утверждает, что {nom} — паразиты. Это предрассудок, я ему так и сказал.",
               "Когда газета пишет, что {nom} опасны, она распространяет ложь.",
               "Считать, что {nom} — недочеловеки, — это позор.",
               "В комментариях пишут, что {nom} — животные. Это язык вражды, и модераторы его удалили.",
               "Представление, будто {nom} ленивы по природе, — это стереотип без всяких оснований.",
               "Он написал, что {nom} — грязные твари, и клуб назвал это расизмом и отстранил его."],
    }, 4),
    "news_attack_arrest": ({
        "en": ["Police detained two suspects after the explosion near the station; investigators are checking their "
               "links to a banned group.",
               "A court in the capital jailed a man for nine years for recruiting fighters for a terrorist organisation.",
               "Two men were detained on suspicion of setting fire to a prayer house used by {g}, officers said on Tuesday.",
               "A regional court jailed three members of a neo-Nazi cell for a series of assaults on {g}.",
               "Detectives are questioning a teenager who posted threats online before the shooting at the mall.",
               "Security forces arrested a suspected recruiter who sent young people to an armed group abroad.",
               "The attack on the bus station killed four people; no group has claimed responsibility yet.",
               "The defendant transferred money to a banned organisation through crypto wallets, the indictment says.",
               "Officers searched flats in three cities and seized extremist leaflets targeting {g}.",
               "A bomb went off near the embassy overnight; emergency services say several people were injured."],
        "ru": ["Полиция задержала двух подозреваемых после взрыва у вокзала; следствие проверяет их связи с "
               "запрещённой группой.",
               "Суд в столице приговорил мужчину к девяти годам за вербовку боевиков для террористической организации.",
               "Двое мужчин задержаны по подозрению в поджоге молельного дома, которым пользуются {nom}, "
               "сообщили во вторник в ведомстве.",
               "Областной суд приговорил трёх участников неонацистской ячейки за серию нападений на {gen}.",
               "Следователи допрашивают подростка, который перед стрельбой в торговом центре публиковал угрозы.",
               "Силовики задержали предполагаемого вербовщика, отправлявшего молодых людей в вооружённую "
               "группировку за границей.",
               "При нападении на автовокзал погибли четыре человека; ответственность пока никто не взял.",
               "По версии обвинения, подсудимый переводил деньги запрещённой организации через криптокошельки.",
               "Оперативники провели обыски в квартирах в трёх городах и изъяли экстремистские листовки против {gen}.",
               "Ночью у посольства взорвалась бомба, пострадали несколько человек."],
    }, 2),
    "condemnation": ({
        "en": ["Terrorism has no religion and no nationality. We stand with the victims of the attack.",
               "Violence against migrants is a crime, and those who call for it must answer in court.",
               "Whoever attacks people for their faith attacks all of us. Our city stands united.",
               "We mourn the victims and refuse to let terrorists turn us against each other.",
               "The imam, the priest and the rabbi made a joint call for peace after the bombing.",
               "No cause justifies killing civilians. Not now, not ever."],
        "ru": ["У терроризма нет религии и национальности. Мы с пострадавшими от теракта.",
               "Насилие против мигрантов — преступление, и призывающие к нему должны ответить перед судом.",
               "Кто нападает на людей за их веру, нападает на всех нас. Наш город един.",
               "Мы скорбим по погибшим и не позволим террористам настроить нас друг против друга.",
               "Имам, священник и раввин после взрыва вместе призвали к миру.",
               "Никакая цель не оправдывает убийства мирных людей. Ни сейчас, ни когда-либо."],
    }, 0),
    "historical_educational": ({
        "en": ["In 1945 the Red Army liberated Auschwitz, where the Nazis murdered more than a million people.",
               "The lecture explained how Nazi propaganda dehumanised Jews before the Holocaust.",
               "Students read survivors' letters to understand how ordinary people were drawn into genocide.",
               "The seminar examined how terrorist groups used social media to recruit foreign fighters in 2014-2016.",
               "Historians estimate that the Nazis and their collaborators murdered about six million Jews.",
               "The exhibition shows Nazi posters next to testimony from the people those posters targeted."],
        "ru": ["В 1945 году Красная армия освободила Освенцим, где нацисты убили более миллиона человек.",
               "На лекции рассказали, как нацистская пропаганда расчеловечивала евреев перед Холокостом.",
               "Школьники читали письма выживших, чтобы понять, как обычные люди оказывались втянуты в геноцид.",
               "На семинаре разбирали, как террористические группы в 2014–2016 годах вербовали иностранных "
               "боевиков через соцсети.",
               "По оценкам историков, нацисты и их пособники уничтожили около шести миллионов евреев.",
               "На выставке нацистские плакаты показаны рядом со свидетельствами людей, против которых они "
               "были направлены."],
    }, 0),
}

# Neutral and positive mentions, every template with every group: the per-group false-positive rate.
IDENTITY: dict[str, dict[str, list[str]]] = {
    "identity_neutral": {
        "en": ["I met a group of {g} at the train station this morning.", "{G} often gather in the park on Sundays.",
               "The documentary follows three families of {g} over one year.", "Our new colleagues are {g}.",
               "The census counted how many {g} live in the capital.", "A local bakery run by {g} opened on our street.",
               "The article lists the holidays {g} celebrate in spring.",
               "{G} in the survey said they mostly shop at the weekend market."],
        "ru": ["Сегодня утром я встретил на вокзале группу, это были {nom}.", "По воскресеньям {nom} часто собираются в парке.",
               "Документальный фильм рассказывает о трёх семьях, они {nom}.", "Наши новые коллеги — {nom}.",
               "Перепись посчитала, сколько {gen} живёт в столице.", "На нашей улице открылась пекарня, её держат {nom}.",
               "В статье перечислены праздники, которые {nom} отмечают весной.",
               "В опросе {nom} рассказали, что обычно ходят на рынок по выходным."],
    },
    "identity_positive": {
        "en": ["{G} have made this country richer in so many ways.", "I love the food and music that {g} brought to our town.",
               "We are grateful to the {g} who volunteered after the flood.",
               "Some of the kindest people I know are {g}.",
               "A folk ensemble of {g} played at the town festival and everyone danced.",
               "Our town would be poorer without the {g} who live here."],
        "ru": ["{Nom} сделали нашу страну богаче во многом.", "Я люблю еду и музыку, которые {nom} принесли в наш город.",
               "Мы благодарны {dat}, которые помогали после наводнения.",
               "Среди самых добрых людей, которых я знаю, есть {nom}.",
               "На городском празднике играл фольклорный ансамбль, в нём {nom}, и все танцевали.",
               "Наш город был бы беднее без {gen}, которые здесь живут."],
    },
}
