"""Read the labelled sets in ../shared/data into one list of training examples.

The first four sets come with a heuristic ``project_label`` column; this module applies
it with the changes recorded in :data:`MAPPING_NOTES` (the model card prints them). The
four sets added later ship without one: their readers map the sources' own labels, by
the rules in ``classifiers/training/GUIDELINE.md``.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MODEL_CATEGORIES: tuple[str, ...] = ("incitement", "recruitment", "neo_nazism", "xenophobia")

# real: a text someone wrote; template and seed: short sentences written to balance a set;
# contrast: hard negatives built by classifiers.training.contrast; perturbed: an obfuscated
# copy (classifiers.training.perturb); synthetic: classifiers.training.synthetic; chatter: a row
# set inside everyday talk (classifiers.training.chatter); written: a sentence or comment written
# for this project's training (classifiers/training/written/, train part only).
KINDS: tuple[str, ...] = ("real", "template", "seed", "contrast", "perturbed", "synthetic", "chatter", "written")

# Templates and seeds teach balance, not language: kept a minority of the mix.
DEFAULT_MAX_PER_KIND: dict[str, int] = {"template": 1500, "seed": 700}

# Recruitment guideline for the account-level ISIS tweets: a tweet is a recruitment
# call only when it invites the reader to join, pledge, travel (hijra) to the group, or
# contact someone for that; everything else from those accounts (news, small talk,
# religious quotes) is left out, neither positive nor negative.
RECRUITMENT_CALL = re.compile(
    r"\b(join (us|the|our|isis|is\b|islamic state|the caliphate|khilafah?)|make hijr|perform hijr|"
    r"hijrah? to|come to (sham|syria|the (land|khilafah?|caliphate|islamic state))|pledge|bay'?ah|baya|"
    r"give (your )?allegiance|recruit|mujahid(een|in) need|contact me|dm me|kik me|telegram)",
    re.IGNORECASE,
)

MAPPING_NOTES = [
    "stormfront: 'hate' sentences -> neo_nazism; 'noHate' -> negative (in-domain hard negative); 'relation'/'idk' dropped. "
    "Sentences of one post share a split key.",
    "latent-hatred: implicit 'threatening' -> incitement; 'white_grievance' and 'incitement'-to-hate-group posts -> neo_nazism; "
    "other hate (target unknown, inferiority, stereotypes, irony) dropped rather than used as negatives; not_hate -> negative.",
    "latent-hatred-groups: the Latent Hatred posts the first mapping dropped as hate of an unknown or other target "
    "(explicit hate, inferiority, stereotypes, implicit hate without a sub-class; not irony, not 'other'), when they "
    "name a people, a race, a faith or migrants (LATENT_GROUP_NAMES, whites not counted) -> xenophobia, the "
    "model's one label for group hate; those naming no such group stay dropped.",
    "isis-tweets: account-level labels; only tweets matching the recruitment-call guideline (join, pledge/bay'ah, hijra, "
    "contact a recruiter) -> recruitment; the rest dropped.",
    "ru-sensitive-topics: inappropriate racism-topic messages -> xenophobia (weak); inappropriate terrorism-topic -> incitement "
    "(weak); appropriate messages, including those on terrorism, race and religion -> negatives; religious-intolerance "
    "candidates and out-of-scope inappropriate messages dropped.",
    "ru-ethnohate: one example per text; any (text, group) pair with attitude -1 -> xenophobia, whatever the group "
    "(nationality, ethnicity, migrants, and also race and Roma: the model has no racism label); texts whose pairs are "
    "all 0 or +1 -> negatives (neutral and positive group mentions). Texts with -1 towards one group and 0/+1 towards "
    "another are positives. Split key: the text id. Read as plain text: the source's bold marking of the rated group, "
    "font colours, links and line-break tags removed.",
    "mlma: tweets labelled only 'normal' -> negatives, whatever the target; hateful, abusive or offensive (and not also "
    "'normal') with target attribute 'origin' and an origin group (immigrants, refugees, arabs, hispanics, asians, "
    "african_descent, indian/hindu, muslims, jews) -> xenophobia; fearful-only and disrespectful-only, tweets labelled "
    "both hostile and normal, and hostile tweets against religion, gender, sexual orientation, disability or an "
    "unnamed group dropped (neither positive nor negative).",
    "toxigen-seeds: hate seeds against migrants, nationalities, ethnic groups, races and Jews -> xenophobia (none of the "
    "antisemitic seeds carries Nazi ideology, so none is neo_nazism); hate seeds against Muslims, LGBTQ people, women "
    "and disabled people dropped (out of the four labels, not negatives); every neutral seed -> negative (kind seed).",
    "identity-templates: nontoxic template sentences naming an identity group -> negatives (kind template), sampled "
    "evenly over groups; toxic templates dropped (generic insults, not propaganda); occupation templates dropped.",
]


@dataclass(frozen=True)
class Example:
    text: str
    language: str
    labels: tuple[str, ...]
    source: str
    kind: str = "real"  # one of KINDS
    group: str | None = None  # the target group, a classifiers.groups key where one fits
    split_key: str | None = None  # rows sharing it stay on one side of a train/test split


def split_key_of(example: Example) -> str:
    """The example's split key, or one derived from its text, so exact duplicates stay together."""
    if example.split_key:
        return example.split_key
    return "text:" + hashlib.sha1(" ".join(example.text.lower().split()).encode("utf-8")).hexdigest()[:16]


def _stormfront(root: Path) -> list[Example]:
    df = pd.read_csv(root / "stormfront" / "labels.csv")
    posts = df["file_id"].astype(str).str.rsplit("_", n=1).str[0]
    out = []
    for text, label, post in zip(df["text"].fillna("").astype(str), df["project_label"], posts):
        if label in ("neo_nazism", "none"):
            out.append(Example(text, "en", ("neo_nazism",) if label == "neo_nazism" else (), "stormfront",
                               split_key=f"stormfront:{post}"))
    return out


def _latent_hatred(root: Path) -> list[Example]:
    df = pd.read_csv(root / "latent-hatred" / "labels.csv")
    out = []
    for text, label in zip(df["post"].fillna("").astype(str), df["project_label"]):
        if label in ("incitement", "neo_nazism"):
            out.append(Example(text, "en", (label,), "latent-hatred"))
        elif label == "none":
            out.append(Example(text, "en", (), "latent-hatred"))
    return out


# Latent Hatred's hate of a named group that the mapping above drops: the sub-labels kept, and the names that make
# a post's target a people, a race, a faith or migrants (slurs included; whites, the white-grievance posts' subject,
# and "black" alone, which is also a colour, are not). Read as its own set, after every other, so that adding it or
# leaving it out (exclude_sources) moves no other set's rows.
LATENT_GROUP_SUBLABELS = frozenset({"explicit_hate_target_unknown", "inferiority", "stereotypical",
                                    "implicit_unsubtyped"})
LATENT_GROUP_NAMES = re.compile(
    r"\b(jews?|jewish|jewess|kikes?|zionists?|muslims?|moslems?|muzzies?|islam|islamic|blacks|black (people|men|women|"
    r"man|woman|folks?|guys?|males?|females?|kids|thugs|community|americans|lives matter)|african( american)?s?|"
    r"negro(es)?|niggers?|coons?|shitskins?|immigrants?|migrants?|refugees?|illegals|illegal aliens?|"
    r"asylum seekers?|mexicans?|hispanics?|latin(o|a)s?|wetbacks?|beaners?|spics?|arabs?|asians?|chinese|chinks?|"
    r"gooks?|somalis?|syrians?|afghans?|pakistanis?|pakis?|hindus?|sikhs?|gypsies|gypsy|roma|non-?whites?|"
    r"minorities|third world(ers?)?|towelheads?|ragheads?|sand ?niggers?)\b",
    re.IGNORECASE,
)


def _latent_hatred_groups(root: Path) -> list[Example]:
    df = pd.read_csv(root / "latent-hatred" / "labels.csv")
    return [Example(text, "en", ("xenophobia",), "latent-hatred-groups")
            for text, sub in zip(df["post"].fillna("").astype(str), df["project_sublabel"])
            if sub in LATENT_GROUP_SUBLABELS and LATENT_GROUP_NAMES.search(text)]


def _isis(root: Path) -> list[Example]:
    df = pd.read_csv(root / "isis-tweets" / "IsisFanboy.csv")
    return [Example(t, "en", ("recruitment",), "isis-tweets")
            for t in df["tweets"].fillna("").astype(str) if RECRUITMENT_CALL.search(t)]


def _ru_sensitive(root: Path) -> list[Example]:
    df = pd.read_csv(root / "ru-sensitive-topics" / "labels.csv")
    mapping = {"xenophobia": ("xenophobia",), "incitement": ("incitement",), "none": ()}
    return [Example(t, "ru", mapping[label], "ru-sensitive-topics")
            for t, label in zip(df["text"].fillna("").astype(str), df["project_label"]) if label in mapping]


# ru-ethnohate names groups by a Russian lemma (slurs included); those with a key in
# classifiers/groups.py map to it, the rest keep the lemma.
RU_GROUP_KEYS = {
    **dict.fromkeys(("русский", "россиянин", "русак", "великоросс", "росс", "кацап", "москаль", "русня"), "russians"),
    **dict.fromkeys(("украинец", "хохол", "малорос", "малоросс", "западенец"), "ukrainians"),
    **dict.fromkeys(("чеченец", "чечен"), "chechens"), **dict.fromkeys(("еврей", "жид"), "jews"),
    **dict.fromkeys(("негр", "темнокожий", "африканец"), "black_people"),
    **dict.fromkeys(("чурка", "чучмек", "среднеазиат"), "central_asians"),
    **dict.fromkeys(("кавказец", "хач"), "caucasus_peoples"), **dict.fromkeys(("басурман", "басурманин"), "muslims"),
    "таджик": "tajiks", "узбек": "uzbeks", "киргиз": "kyrgyz", "казах": "kazakhs", "армянин": "armenians",
    "цыган": "roma", "араб": "arabs", "гастарбайтер": "migrants",
}


_LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def plain_text(marked: str) -> str:
    """The text a reader sees: line-break tags as new lines, other tags (ru-ethnohate's bold marking of
    the pair's group, font colours, links) dropped, entities decoded. Crawled documents reach the model
    as plain text, so a model must not learn that a bold group name is a cue."""
    return html.unescape(_TAG.sub("", _LINE_BREAK.sub("\n", marked))).strip()


def _ru_ethnohate(root: Path) -> list[Example]:
    df = pd.read_json(root / "ru-ethnohate" / "ruethnohate_dev.jsonl", lines=True)
    out = []
    for text_id, pairs in df.groupby("text_id", sort=True):
        hostile = pairs[pairs["class"] == -1]
        named = [RU_GROUP_KEYS.get(g, g) for g in (hostile if len(hostile) else pairs)["ethnic_group"]]
        group = next((g for g in named if g in RU_GROUP_KEYS.values()), named[0])
        out.append(Example(plain_text(str(pairs["text"].iloc[0])), "ru", ("xenophobia",) if len(hostile) else (),
                           "ru-ethnohate", group=group, split_key=f"ru-ethnohate:{text_id}"))
    return out


MLMA_ORIGIN_GROUPS = {"immigrants": "migrants", "refugees": "refugees", "arabs": "arabs", "hispanics": "hispanics",
                      "asians": "asians", "african_descent": "black_people", "indian/hindu": "indians",
                      "muslims": "muslims", "jews": "jews"}
MLMA_GROUP_KEYS = {**MLMA_ORIGIN_GROUPS, "christian": "christians"}


def _mlma(root: Path) -> list[Example]:
    df = pd.read_csv(root / "mlma" / "en_dataset_with_stop_words.csv")
    out = []
    for text, sentiment, target, group in zip(df["tweet"].fillna("").astype(str), df["sentiment"], df["target"],
                                              df["group"]):
        hostility = set(str(sentiment).split("_"))
        key = MLMA_GROUP_KEYS.get(group, group)
        if hostility == {"normal"}:
            out.append(Example(text, "en", (), "mlma", group=key))
        elif ("normal" not in hostility and hostility & {"hateful", "abusive", "offensive"}
              and target == "origin" and group in MLMA_ORIGIN_GROUPS):
            out.append(Example(text, "en", ("xenophobia",), "mlma", group=key))
    return out


TOXIGEN_XENOPHOBIA = {"immigrant": "migrants", "middle_east": "middle_eastern", "mexican": "mexicans",
                      "latino": "latinos", "chinese": "chinese", "asian": "asians", "black": "black_people",
                      "native_american": "native_americans", "jewish": "jews"}
TOXIGEN_GROUP_KEYS = {**TOXIGEN_XENOPHOBIA, "muslim": "muslims"}


def _toxigen_seeds(root: Path) -> list[Example]:
    df = pd.read_csv(root / "toxigen-seeds" / "seed_sentences.csv")
    out = []
    for text, label, group in zip(df["text"].fillna("").astype(str), df["label"], df["group"]):
        key = TOXIGEN_GROUP_KEYS.get(group, group)
        if label == "neutral":
            out.append(Example(text, "en", (), "toxigen-seeds", kind="seed", group=key))
        elif label == "hate" and group in TOXIGEN_XENOPHOBIA:
            out.append(Example(text, "en", ("xenophobia",), "toxigen-seeds", kind="seed", group=key))
    return out


# Identity terms of the Dixon et al. templates, longest first; those with a groups.py key map to it.
IDENTITY_TERMS = sorted((
    "african american", "middle eastern", "middle aged", "lesbian", "gay", "bisexual", "transgender", "trans", "queer",
    "lgbtq", "lgbt", "homosexual", "straight", "heterosexual", "male", "female", "nonbinary", "african", "black",
    "white", "european", "hispanic", "latino", "latina", "latinx", "mexican", "canadian", "american", "asian",
    "indian", "chinese", "japanese", "christian", "muslim", "jewish", "buddhist", "catholic", "protestant", "sikh",
    "taoist", "old", "older", "young", "younger", "teenage", "millenial", "elderly", "blind", "deaf", "paralyzed",
), key=len, reverse=True)
IDENTITY_KEYS = {"muslim": "muslims", "jewish": "jews", "christian": "christians", "catholic": "christians",
                 "protestant": "christians", "buddhist": "buddhists", "black": "black_people",
                 "african": "black_people", "african american": "black_people", "middle eastern": "middle_eastern",
                 "mexican": "mexicans", "latino": "latinos", "latina": "latinos", "latinx": "latinos",
                 "hispanic": "hispanics", "asian": "asians", "indian": "indians"}
_IDENTITY = re.compile(r"\b(" + "|".join(IDENTITY_TERMS) + r")\b", re.IGNORECASE)


def _identity_templates(root: Path) -> list[Example]:
    df = pd.read_csv(root / "identity-templates" / "en_sentence_templates.csv")
    df = df[(df["toxicity"] == "nontoxic") & (df["template"] != "you_occupation")]
    out = []
    for text in df["phrase"].fillna("").astype(str):
        found = _IDENTITY.search(text)
        if found:
            term = found.group(1).lower()
            out.append(Example(text, "en", (), "identity-templates", kind="template",
                               group=IDENTITY_KEYS.get(term, term.replace(" ", "_"))))
    return out


# For the model card: what each set is and the terms it comes under.
DATASETS = {
    "stormfront": ("Stormfront white-supremacist forum sentences (de Gibert et al. 2018), Vicomtech/hate-speech-dataset",
                   "en", "CC BY-SA 3.0 ES"),
    "latent-hatred": ("Latent Hatred tweets (ElSherief et al. 2021), SALT-NLP/implicit-hate", "en",
                      "research data behind a form (repository MIT): keep inside the project, do not republish"),
    "latent-hatred-groups": ("Latent Hatred tweets naming a group: explicit hate, inferiority and stereotypes "
                             "(ElSherief et al. 2021), SALT-NLP/implicit-hate", "en",
                             "research data behind a form (repository MIT): keep inside the project, do not republish"),
    "isis-tweets": ("How ISIS Uses Twitter (Fifth Tribe, Kaggle)", "en", "CC0 1.0"),
    "ru-sensitive-topics": ("Russian sensitive topics and appropriateness (Babakov et al.), s-nlp/inappropriate-sensitive-topics",
                            "ru", "CC BY-NC-SA 4.0 (non-commercial, share-alike)"),
    "ru-ethnohate": ("RuEthnoHate: Russian social-media texts with attitudes to ethnic groups (Pronoza et al. 2021), "
                     "hse-scila/ethnohate-project", "ru",
                     "no licence file; made available to the research community: research use only"),
    "mlma": ("MLMA multilingual multi-aspect hate speech, English tweets (Ousidhoum et al. 2019), "
             "HKUST-KnowComp/MLMA_hate_speech", "en", "MIT"),
    "toxigen-seeds": ("ToxiGen human-written hate and neutral seed sentences (Hartvigsen et al. 2022), microsoft/TOXIGEN",
                      "en", "MIT; the repository README asks for research use"),
    "identity-templates": ("identity-term template sentences (Dixon et al. 2018), "
                           "conversationai/unintended-ml-bias-analysis", "en", "Apache-2.0"),
    "contrast": ("counter-speech, reporting, negation and group-mention negatives built for this project "
                 "(classifiers/training/contrast.py); quoted sentences come from the sets above", "en, ru",
                 "Apache-2.0 (this project) for the frames; quoted rows keep their own set's terms"),
    "synthetic": ("templated English and Russian sentences written for this project (classifiers/training/synthetic.py)",
                  "en, ru", "Apache-2.0 (this project)"),
    "written": ("comments, posts and calls written for this project's training, hostile and hard negatives in the "
                "same register (classifiers/training/written/, GUIDELINE.md); train part only", "en, ru",
                "Apache-2.0 (this project)"),
    "reviews": ("reviewer decisions from the warehouse", "any", "operator's own data"),
}

READERS = {"stormfront": _stormfront, "latent-hatred": _latent_hatred, "isis-tweets": _isis,
           "ru-sensitive-topics": _ru_sensitive, "ru-ethnohate": _ru_ethnohate, "mlma": _mlma,
           "toxigen-seeds": _toxigen_seeds, "identity-templates": _identity_templates,
           "latent-hatred-groups": _latent_hatred_groups}  # last: see LATENT_GROUP_SUBLABELS
# The folder each set is read from under the data directory, where it is not the set's name.
READER_DIRS = {"latent-hatred-groups": "latent-hatred"}


def source_dir(root: Path, name: str) -> Path:
    """The folder the set ``name`` is read from."""
    return root / READER_DIRS.get(name, name)


def cap_per_kind(rows: list[Example], max_per_kind: Mapping[str, int], seed: int) -> list[Example]:
    """At most ``max_per_kind[kind]`` rows of each capped kind, taken in turn from every (source, labels,
    group) stratum so that the kept rows still cover every group; other kinds pass untouched."""
    rng = random.Random(seed)
    strata: dict[tuple, list[Example]] = defaultdict(list)
    for row in rows:
        if row.kind in max_per_kind:
            strata[(row.kind, row.source, row.labels, row.group or "")].append(row)
    keep: set[int] = set()
    for kind, cap in sorted(max_per_kind.items()):
        queues = [strata[key] for key in sorted(strata) if key[0] == kind]
        for queue in queues:
            rng.shuffle(queue)
        taken = 0
        while taken < cap and any(queues):
            for queue in queues:
                if queue and taken < cap:
                    keep.add(id(queue.pop()))
                    taken += 1
    return [row for row in rows if row.kind not in max_per_kind or id(row) in keep]


def load_shared(root: Path, *, max_negatives_per_source: int, max_positives_per_label: int,
                seed: int, exclude: tuple[str, ...] = (),
                max_per_kind: Mapping[str, int] | None = None,
                max_negatives_by_source: Mapping[str, int] | None = None) -> list[Example]:
    """Every usable example, with negatives and over-represented positives subsampled per source
    (``max_negatives_by_source`` overrides the negatives' cap for the sets it names) and templates and
    seeds capped per kind (:data:`DEFAULT_MAX_PER_KIND` unless given). A set's cap changes only its own
    rows: every set is shuffled whatever its cap."""
    rng = random.Random(seed)
    caps = DEFAULT_MAX_PER_KIND if max_per_kind is None else max_per_kind
    examples: list[Example] = []
    for name, reader in READERS.items():
        if name in exclude or not source_dir(root, name).is_dir():
            continue
        rows = cap_per_kind(reader(root), caps, seed)
        groups: dict[tuple[str, ...], list[Example]] = defaultdict(list)
        for row in rows:
            groups[row.labels].append(row)
        for labels, members in sorted(groups.items()):
            cap = max_positives_per_label if labels else (max_negatives_by_source or {}).get(
                name, max_negatives_per_source)
            rng.shuffle(members)
            examples.extend(members[:cap])
    return cap_per_kind(examples, caps, seed)


WRITTEN_DIR = Path(__file__).resolve().parent / "written"


def load_written(names: Sequence[str], categories: Sequence[str], folder: Path = WRITTEN_DIR) -> list[Example]:
    """The rows of the written sets ``names`` (``<folder>/<name>.jsonl``: ``text``, ``language``, ``labels``,
    optionally ``group``), as ``kind="written"`` examples of the source ``written``. They are committed with
    the project, so they load without ``../shared``. A label outside ``categories`` or a row without text is
    refused with its file and line: a typo would otherwise train a category's positive as a negative."""
    rows: list[Example] = []
    for name in names:
        path = folder / f"{name}.jsonl"
        if not path.is_file():
            raise FileNotFoundError(f"written set {name!r}: no file {path}")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not JSON ({exc.msg})") from None
            text, labels = raw.get("text"), raw.get("labels")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{where}: no text")
            if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
                raise ValueError(f"{where}: labels must be a list of category names")
            unknown = sorted(set(labels) - set(categories))
            if unknown:
                raise ValueError(f"{where}: labels {unknown} are not among the model's categories {list(categories)}")
            if raw.get("language") not in ("en", "ru"):
                raise ValueError(f"{where}: language must be 'en' or 'ru', not {raw.get('language')!r}")
            rows.append(Example(text=text.strip(), language=raw["language"], labels=tuple(sorted(set(labels))),
                                source="written", kind="written", group=raw.get("group") or None,
                                split_key=f"written:{name}:{number}"))
    return rows
