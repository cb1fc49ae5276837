"""Presence probe (bench/presence-probe.ts runs it): how learnable are the nodules in the model images?

Reads images.f32 ([N, S, S] float32, standardised) and meta.json from the folder given, then trains two
small PyTorch CNNs on the training split, each within a time budget:
  patch  — 24×24 crops at true nodule centres against crops at random lung points (location given);
  image  — whole images against the image-level presence label (what report text gives the warm-up).
Prints one JSON line: held-out patch AUC and image accuracy with its majority rate.
"""
import json, sys, time
import numpy as np
import torch
import torch.nn as nn

folder, budget, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(0)
meta = json.load(open(f'{folder}/meta.json'))
side = meta['side']
images = np.fromfile(f'{folder}/images.f32', dtype=np.float32).reshape(-1, side, side)
train = np.array([s['train'] for s in meta['studies']])
rng = np.random.default_rng(0)
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


def fit(model, x, y, train_rows, batch, shift):
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    started, epochs = time.time(), 0
    while time.time() - started < budget:
        model.train()
        order = train_rows[torch.randperm(len(train_rows))]
        for j in range(0, len(order), batch):
            rows = order[j:j + batch]
            xb = x[rows]
            if shift:
                dx, dy = rng.integers(-shift, shift + 1, 2)
                xb = torch.roll(xb, (int(dy), int(dx)), (2, 3))
            loss = nn.functional.binary_cross_entropy_with_logits(model(xb)[:, 0], y[rows])
            opt.zero_grad(); loss.backward(); opt.step()
        epochs += 1
    model.eval()
    return epochs


def scores(model, x):
    with torch.no_grad():
        return torch.cat([model(x[j:j + 64])[:, 0] for j in range(0, len(x), 64)]).numpy()


p, py, owner = patch_set()
p_train = torch.tensor(np.nonzero(train[owner])[0])
p_test = np.nonzero(~train[owner])[0]
patch_model = cnn(1)
patch_epochs = fit(patch_model, p, py, p_train, 64, 0)
patch_auc = auc(scores(patch_model, p[p_test]), py.numpy()[p_test])

x = torch.tensor(images)[:, None]
y = torch.tensor([float(s['present']) for s in meta['studies']])
i_train = torch.tensor(np.nonzero(train)[0])
i_test = np.nonzero(~train)[0]
image_model = cnn(2)
image_epochs = fit(image_model, x, y, i_train, 16, 8)
predicted = scores(image_model, x[i_test]) > 0
truth = y.numpy()[i_test] > 0
majority = max(truth.mean(), 1 - truth.mean())
print(json.dumps({
    'patch_auc': patch_auc, 'patch_epochs': patch_epochs, 'patches_train': int(len(p_train)), 'patches_test': int(len(p_test)),
    'image_acc': float((predicted == truth).mean()), 'image_auc': auc(scores(image_model, x[i_test]), truth.astype(int)),
    'majority': float(majority), 'image_epochs': image_epochs, 'images_train': int(len(i_train)), 'images_test': int(len(i_test))}))
