"""The engine benchmark's PyTorch twin: the same decoder (pre-LN causal blocks, exact GELU, tied
embeddings, learned positions, image prefix), the same batch, AdamW with global-norm clipping,
and one-token generation with a KV cache. Serves timing requests on stdin (bench/engine.ts):
`fwd N`, `train N` and `gen` each answer one JSON line {"seconds": per run}."""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, WIDTH, LAYERS, HEADS, PREFIX, TEXT = 2048, 256, 4, 4, 64, 64


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1 = nn.LayerNorm(WIDTH)
        self.qkv = nn.Linear(WIDTH, 3 * WIDTH)
        self.proj = nn.Linear(WIDTH, WIDTH)
        self.ln2 = nn.LayerNorm(WIDTH)
        self.mlp_in = nn.Linear(WIDTH, 4 * WIDTH)
        self.mlp_out = nn.Linear(4 * WIDTH, WIDTH)

    def forward(self, x, mask, past=None):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(WIDTH, dim=-1)
        q, k, v = (z.view(b, t, HEADS, WIDTH // HEADS).transpose(1, 2) for z in (q, k, v))
        if past is not None:
            k = torch.cat([past[0], k], 2)
            v = torch.cat([past[1], v], 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(WIDTH // HEADS)
        if mask is not None:
            att = att + mask
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, WIDTH)
        x = x + self.proj(y)
        x = x + self.mlp_out(F.gelu(self.mlp_in(self.ln2(x))))
        return x, (k, v)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, WIDTH)
        self.positions = nn.Parameter(torch.randn(PREFIX + TEXT, WIDTH) * 0.02)
        self.blocks = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.final_ln = nn.LayerNorm(WIDTH)

    def forward(self, prefix, ids):
        t = PREFIX + ids.shape[1]
        x = torch.cat([prefix, self.tokens(ids)], 1) + self.positions[:t]
        mask = torch.full((t, t), -1e9).triu(1)
        cache = []
        for blk in self.blocks:
            x, kv = blk(x, mask)
            cache.append(kv)
        h = self.final_ln(x[:, PREFIX:])
        return h @ self.tokens.weight.t(), cache

    def step(self, ids, pos, cache):
        x = self.tokens(ids) + self.positions[pos]
        new = []
        for blk, kv in zip(self.blocks, cache):
            x, kv2 = blk(x, None, kv)
            new.append(kv2)
        return self.final_ln(x)[:, -1] @ self.tokens.weight.t(), new


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
