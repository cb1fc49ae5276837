"""Presence probe (bench/presence-probe.ts runs it): how learnable are the nodules in the model images?

Reads images.f32 ([N, S, S] float32, standardised) and meta.json from the folder given, then trains two
small PyTorch CNNs on the training split, each within a time budget:
  patch  — 24×24 crops at true nodule centres against crops at random lung points (location given);
  image  — whole images against the image-level presence label (what report text gives the warm-up);
  vit    — the same whole-image task for the VLM's vision encoder layout (16×16 patches, learned
           positions, 4 pre-LN blocks of width 192, 2×2 token pooling) with a max over its tokens:
           whether the encoder, not the signal, is what learns slowly.
Prints one JSON line: held-out patch AUC and image accuracies with their majority rate.
An optional fourth argument names the probes to run (comma-separated; default all three), a fifth the
random seed (default 0): one run is one draw of initialisation and batch order, so compare over seeds.
"""
import json, sys, time
import numpy as np
import torch
import torch.nn as nn

folder, budget, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
probes = set((sys.argv[4] if len(sys.argv) > 4 else 'patch,image,vit').split(','))
torch.set_num_threads(threads)
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 0
torch.manual_seed(seed)
meta = json.load(open(f'{folder}/meta.json'))
side = meta['side']
images = np.fromfile(f'{folder}/images.f32', dtype=np.float32).reshape(-1, side, side)
train = np.array([s['train'] for s in meta['studies']])
rng = np.random.default_rng(seed)
HALF = 12


def auc(scores, labels):
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(len(scores))
    pos = labels == 1
    return float((ranks[pos].mean() - (pos.sum() - 1) / 2) / (~pos).sum())


def crop(i, x, y):
    return images[i, y - HALF:y + HALF, x - HALF:x + HALF]


def inside(x, y):
    return HALF <= x < side - HALF and HALF <= y < side - HALF


def patch_set():
    patches, labels, owner = [], [], []
    for i, s in enumerate(meta['studies']):
        for x, y in s['nodules']:
            if inside(x, y):
                patches.append(crop(i, x, y)); labels.append(1); owner.append(i)
        for _ in range(2):
            x, y = s['lungPoints'][rng.integers(len(s['lungPoints']))] if s['lungPoints'] else (side // 2, side // 2)
            if inside(x, y) and all(abs(x - a) + abs(y - b) > 16 for a, b in s['nodules']):
                patches.append(crop(i, x, y)); labels.append(0); owner.append(i)
    p = torch.tensor(np.stack(patches))[:, None]
    return p - p.mean((2, 3), keepdim=True), torch.tensor(labels).float(), np.array(owner)


def cnn(first_stride):
    """Three conv blocks and a global max-pool: "is there a nodule anywhere" (multiple-instance)."""
    first = nn.Conv2d(1, 16, 5, 2, 2) if first_stride == 2 else nn.Conv2d(1, 16, 3, 1, 1)
    return nn.Sequential(
        first, nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(32, 1))


class VitEncoder(nn.Module):
    """The VLM's vision encoder (src/main/model/vlm-graph.ts) with a per-token presence score and a max over tokens."""

    def __init__(self, side, patch=16, width=192, layers=4, heads=3, pool=2):
        super().__init__()
        self.patch, self.n, self.pool = patch, side // patch, pool
        self.embed = nn.Linear(patch * patch, width)
        self.positions = nn.Parameter(torch.randn(self.n * self.n, width) * 0.02)
        block = nn.TransformerEncoderLayer(width, heads, 4 * width, dropout=0.0, activation='gelu', batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers)
        self.norm = nn.LayerNorm(width)
        self.score = nn.Linear(width, 1)

    def forward(self, images):
        b, p, n, q = images.shape[0], self.patch, self.n, self.pool
        x = images.reshape(b, n, p, n, p).permute(0, 1, 3, 2, 4).reshape(b, n * n, p * p)
        x = self.norm(self.blocks(self.embed(x) + self.positions))
        m = n // q
        x = x.reshape(b, m, q, m, q, -1).permute(0, 1, 3, 2, 4, 5).reshape(b, m * m, q * q, -1).mean(2)
        return self.score(x).amax(1)


def fit(model, x, y, train_rows, batch, shift, lr=3e-3):
    opt = torch.optim.Adam(model.parameters(), lr)
    started, epochs = time.time(), 0
    while time.time() - started < budget:
        model.train()
        order = train_rows[torch.randperm(len(train_rows))]
        for j in range(0, len(order), batch):
            rows = order[j:j + batch]
            xb = x[rows]
            if shift:
                dx, dy = rng.integers(-shift, shift + 1, 2)
                xb = torch.roll(xb, (int(dy), int(dx)), (-2, -1))
            loss = nn.functional.binary_cross_entropy_with_logits(model(xb)[:, 0], y[rows])
            opt.zero_grad(); loss.backward(); opt.step()
        epochs += 1
    model.eval()
    return epochs


def scores(model, x):
    with torch.no_grad():
        return torch.cat([model(x[j:j + 64])[:, 0] for j in range(0, len(x), 64)]).numpy()


result = {}
if 'patch' in probes:
    p, py, owner = patch_set()
    p_train = torch.tensor(np.nonzero(train[owner])[0])
    p_test = np.nonzero(~train[owner])[0]
    patch_model = cnn(1)
    result['patch_epochs'] = fit(patch_model, p, py, p_train, 64, 0)
    result['patch_auc'] = auc(scores(patch_model, p[p_test]), py.numpy()[p_test])
    result['patches_train'], result['patches_test'] = int(len(p_train)), int(len(p_test))

x = torch.tensor(images)[:, None]
y = torch.tensor([float(s['present']) for s in meta['studies']])
i_train = torch.tensor(np.nonzero(train)[0])
i_test = np.nonzero(~train)[0]
truth = y.numpy()[i_test] > 0
result['majority'] = float(max(truth.mean(), 1 - truth.mean()))
result['images_train'], result['images_test'] = int(len(i_train)), int(len(i_test))
for name, make, lr in (('image', lambda: cnn(2), 3e-3), ('vit', lambda: VitEncoder(side), 1e-3)):
    if name not in probes:
        continue
    model = make()
    # The ViT reads [B, S, S]; the CNN [B, 1, S, S].
    inputs = x if name == 'image' else x[:, 0]
    result[f'{name}_epochs'] = fit(model, inputs, y, i_train, 16, 8, lr)
    held = scores(model, inputs[i_test])
    result[f'{name}_acc'] = float(((held > 0) == truth).mean())
    result[f'{name}_auc'] = auc(held, truth.astype(int))
print(json.dumps(result))
