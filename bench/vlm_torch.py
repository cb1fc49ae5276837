"""The VLM benchmark's PyTorch twin (bench/vlm.ts): the default VLM of DESIGN §8 with the same
sizes and layout as src/main/model — vision encoder (16×16 patches of a 256×256 image, learned
positions, pre-LN blocks), 2×2 average pooling, GELU projector, start vector + image tokens as the
prefix of a pre-LN causal decoder with tied embeddings. Serves timing requests on stdin:
`train N` (seconds per AdamW step with global-norm clipping) and `gen N` (seconds to generate N
tokens per sequence: prefill, then one-token steps with a KV cache), one JSON line each."""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, width, heads, ratio):
        super().__init__()
        self.width, self.heads = width, heads
        self.ln1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width)
        self.mlp_in = nn.Linear(width, ratio * width)
        self.mlp_out = nn.Linear(ratio * width, width)

    def forward(self, x, mask, past=None):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(self.width, dim=-1)
        q, k, v = (z.view(b, t, self.heads, self.width // self.heads).transpose(1, 2) for z in (q, k, v))
        if past is not None:
            k = torch.cat([past[0], k], 2)
            v = torch.cat([past[1], v], 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.width // self.heads)
        if mask is not None:
            att = att + mask
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, self.width)
        x = x + self.proj(y)
        x = x + self.mlp_out(F.gelu(self.mlp_in(self.ln2(x))))
        return x, (k, v)


class Decoder(nn.Module):
    """Pre-LN causal decoder with tied embeddings and learned positions over prefix + text."""

    def __init__(self, vocab, width, layers, heads, ratio, prefix, max_text):
        super().__init__()
        self.prefix = prefix
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Parameter(torch.randn(prefix + max_text, width) * 0.02)
        self.blocks = nn.ModuleList([Block(width, heads, ratio) for _ in range(layers)])
        self.final_ln = nn.LayerNorm(width)

    def forward(self, prefix, ids):
        t = self.prefix + ids.shape[1]
        x = torch.cat([prefix, self.tokens(ids)], 1) + self.positions[:t]
        mask = torch.full((t, t), -1e9).triu(1)
        cache = []
        for blk in self.blocks:
            x, kv = blk(x, mask)
            cache.append(kv)
        return self.final_ln(x[:, self.prefix:]) @ self.tokens.weight.t(), cache

    def step(self, ids, pos, cache):
        x = self.tokens(ids) + self.positions[pos]
        new = []
        for blk, kv in zip(self.blocks, cache):
            x, kv2 = blk(x, None, kv)
            new.append(kv2)
        return self.final_ln(x)[:, -1] @ self.tokens.weight.t(), new


class Vlm(nn.Module):
    def __init__(self, c):
        super().__init__()
        v, d = c["vision"], c["decoder"]
        self.c = c
        self.n = v["imageSize"] // v["patch"]
        self.patch = nn.Linear(v["patch"] ** 2, v["width"])
        self.vpos = nn.Parameter(torch.randn(self.n * self.n, v["width"]) * 0.02)
        self.vblocks = nn.ModuleList([Block(v["width"], v["heads"], v["mlpRatio"]) for _ in range(v["layers"])])
        self.vln = nn.LayerNorm(v["width"])
        self.proj_in = nn.Linear(v["width"], d["width"])
        self.proj_out = nn.Linear(d["width"], d["width"])
        self.start = nn.Parameter(torch.randn(1, 1, d["width"]) * 0.02)
        self.prefix = 1 + (self.n // v["pool"]) ** 2
        self.decoder = Decoder(c["vocab"], d["width"], d["layers"], d["heads"], d["mlpRatio"], self.prefix, d["maxText"])

    def image_prefix(self, images):
        v = self.c["vision"]
        b, p, n, q = images.shape[0], v["patch"], self.n, v["pool"]
        x = images.view(b, n, p, n, p).permute(0, 1, 3, 2, 4).reshape(b, n * n, p * p)
        x = self.patch(x) + self.vpos
        for blk in self.vblocks:
            x, _ = blk(x, None)
        x = self.vln(x)
        m = n // q
        x = x.view(b, m, q, m, q, -1).permute(0, 1, 3, 2, 4, 5).reshape(b, m * m, q * q, -1).mean(2)
        x = self.proj_out(F.gelu(self.proj_in(x)))
        return torch.cat([self.start.expand(b, 1, -1), x], 1)

    def forward(self, images, ids):
        return self.decoder(self.image_prefix(images), ids)

    def step(self, ids, pos, cache):
        return self.decoder.step(ids, pos, cache)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True, help="the model config as JSON")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--text", type=int, default=64)
    ap.add_argument("--gen-batch", type=int, default=8)
    a = ap.parse_args()
    c = json.loads(a.config)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Vlm(c)
    side = c["vision"]["imageSize"]
    images = torch.randn(a.batch, side, side)
    ids = torch.randint(0, c["vocab"], (a.batch, a.text))
    targets = torch.cat([ids[:, 1:], torch.full((a.batch, 1), -100)], 1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)

    def train_step():
        opt.zero_grad(set_to_none=True)
        logits, _ = model(images, ids)
        loss = F.cross_entropy(logits.reshape(-1, c["vocab"]), targets.reshape(-1), ignore_index=-100)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    @torch.no_grad()
    def generate(tokens):
        """Prefill image + one prompt token, then `tokens` greedy one-token steps."""
        b = a.gen_batch
        logits, cache = model(images[:b], ids[:b, :1])
        tok = logits[:, -1].argmax(-1, keepdim=True)
        for s in range(tokens - 1):
            logits, cache = model.step(tok, model.prefix + 1 + s, cache)
            tok = logits.argmax(-1, keepdim=True)

    def timed(runs, fn):
        t0 = time.perf_counter()
        for _ in range(runs):
            fn()
        return (time.perf_counter() - t0) / runs

    print(json.dumps({"version": torch.__version__, "params": sum(p.numel() for p in model.parameters())}), flush=True)
    for line in sys.stdin:
        cmd, *rest = line.split()
        if cmd == "quit":
            break
        n = int(rest[0])
        seconds = timed(n, train_step) if cmd == "train" else timed(1, lambda: generate(n))
        print(json.dumps({"seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
