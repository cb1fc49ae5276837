"""The engine benchmark's PyTorch twin: the same decoder (pre-LN causal blocks, exact GELU, tied
embeddings, learned positions, image prefix), the same batch, AdamW with global-norm clipping,
and one-token generation with a KV cache. Serves timing requests on stdin (bench/engine.ts):
`fwd N`, `train N` and `gen` each answer one JSON line {"seconds": per run}."""
import argparse
import json
import sys
import time

import torch
import torch.nn.functional as F

from vlm_torch import Decoder as TextDecoder  # the same decoder serves both twins

VOCAB, WIDTH, LAYERS, HEADS, PREFIX, TEXT = 2048, 256, 4, 4, 64, 64


def Decoder():  # noqa: N802 (a constructor)
    return TextDecoder(VOCAB, WIDTH, LAYERS, HEADS, 4, PREFIX, TEXT)


def timed(runs, fn):
    t0 = time.perf_counter()
    for _ in range(runs):
        fn()
    return (time.perf_counter() - t0) / runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--gen-batch", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Decoder()
    prefix = torch.randn(a.batch, PREFIX, WIDTH)
    ids = torch.randint(0, VOCAB, (a.batch, TEXT))
    targets = torch.cat([ids[:, 1:], torch.full((a.batch, 1), -100)], 1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def loss_fn():
        logits, _ = model(prefix, ids)
        return F.cross_entropy(logits.reshape(-1, VOCAB), targets.reshape(-1), ignore_index=-100)

    def forward():
        with torch.no_grad():
            loss_fn()

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    @torch.no_grad()
    def generate():
        """Seconds per one-token step for gen-batch sequences, caches growing from 64 to 127."""
        b = a.gen_batch
        _, cache = model(torch.randn(b, PREFIX, WIDTH), ids[:b, :1])
        cache = [(k[:, :, :PREFIX], v[:, :, :PREFIX]) for k, v in cache]
        tok = torch.zeros(b, 1, dtype=torch.long)
        t0 = time.perf_counter()
        for s in range(TEXT):
            logits, cache = model.step(tok, PREFIX + s, cache)
            tok = logits.argmax(-1, keepdim=True)
        return (time.perf_counter() - t0) / TEXT

    # Serve timing requests one line at a time, so the caller can interleave them with its own.
    print(json.dumps({"version": torch.__version__, "params": sum(p.numel() for p in model.parameters())}), flush=True)
    for line in sys.stdin:
        cmd, *rest = line.split()
        if cmd == "quit":
            break
        runs = int(rest[0]) if rest else 1
        seconds = generate() if cmd == "gen" else timed(runs, forward if cmd == "fwd" else train_step)
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
