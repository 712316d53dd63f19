"""Chapter 09's class-conditional U-Net (Models/UNet, UNetBlock) trained as Trainer + ddpm.TrainingStep does
(Models/Ddpm: linear schedule, random t, closed-form q(x_t | x_0), label dropout, MSE on the noise).
The same modules in the same order as the C# UNet (126,209 parameters at width 16 with 10 classes). The C# side runs
its last 3x3 convolution (16 -> 1 channels) with 15 zero filters appended and drops their outputs (PaddedConvolution:
libtorch 2.10's backward pass to the input is wrong unless the output channels fill blocks of 16); here it is the plain
Conv2d it stands for."""
import math

import torch
from torch import nn

import common


def time_embedding(t, dimension):
    """Sinusoidal embedding: sin then cos of t * exp(-ln(10000) * i / half), i < half."""
    half = dimension // 2
    frequencies = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000.0) / half))   # (d/2)
    angles = t.to(torch.float32).unsqueeze(1) * frequencies.unsqueeze(0)                           # (B, d/2)
    return torch.cat([angles.sin(), angles.cos()], 1)                                               # (B, d)


class UNetBlock(nn.Module):
    def __init__(self, cin, cout, e, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.embedding = nn.Linear(e, cout)
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb):
        silu = nn.functional.silu
        h = self.conv1(silu(self.norm1(x)))
        h = h + self.embedding(silu(emb)).unsqueeze(-1).unsqueeze(-1)
        h = self.conv2(silu(self.norm2(h)))
        return h + (x if self.shortcut is None else self.shortcut(x))


class UNet(nn.Module):
    def __init__(self, c):
        super().__init__()
        w, g, channels = c["width"], c["groups"], c["channels"]
        e = 4 * w
        self.width = w
        self.time = nn.Sequential(nn.Linear(w, e), nn.SiLU(), nn.Linear(e, e))
        self.label = nn.Embedding(c["classes"] + 1, e) if c["classes"] > 0 else None
        self.input = nn.Conv2d(channels, w, 3, padding=1)
        self.down1 = UNetBlock(w, w, e, g)                                          # 28x28
        self.downsample1 = nn.Conv2d(w, w, 3, stride=2, padding=1)                  # -> 14x14
        self.down2 = UNetBlock(w, 2 * w, e, g)
        self.downsample2 = nn.Conv2d(2 * w, 2 * w, 3, stride=2, padding=1)          # -> 7x7
        self.middle = UNetBlock(2 * w, 2 * w, e, g)
        self.upsample2 = nn.ConvTranspose2d(2 * w, 2 * w, 4, stride=2, padding=1)   # -> 14x14
        self.up2 = UNetBlock(4 * w, 2 * w, e, g)
        self.upsample1 = nn.ConvTranspose2d(2 * w, w, 4, stride=2, padding=1)       # -> 28x28
        self.up1 = UNetBlock(2 * w, w, e, g)
        self.out_norm = nn.GroupNorm(g, w)
        self.output = nn.Conv2d(w, channels, 3, padding=1)

    def forward(self, x, t, labels):
        emb = self.time(time_embedding(t, self.width))                              # (B, E)
        if self.label is not None:
            emb = emb + self.label(labels)
        h1 = self.down1(self.input(x), emb)
        h2 = self.down2(self.downsample1(h1), emb)
        h = self.middle(self.downsample2(h2), emb)
        h = self.up2(torch.cat([self.upsample2(h), h2], 1), emb)
        h = self.up1(torch.cat([self.upsample1(h), h1], 1), emb)
        return self.output(nn.functional.silu(self.out_norm(h)))


class Workload:
    def __init__(self, data_dir, config):
        self.model = UNet(config)
        count = sum(p.numel() for p in self.model.parameters())
        assert count == config["parameters"] == 126209, f"U-Net has {count} parameters, the C# side {config['parameters']}"
        self.opt = common.optimizer("adam", self.model.parameters(), config["lr"])
        self.batches = common.Batches(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        self.steps, self.classes, self.label_dropout = config["steps"], config["classes"], config["label_dropout"]
        betas = torch.linspace(1e-4, 0.02, self.steps, dtype=torch.float64).to(torch.float32)   # Ddpm.Schedule, linear, T = 1000
        self.alpha_bars = (1 - betas).cumprod(0)

    def run(self, steps):
        self.model.train()
        total = 0.0
        for _ in range(steps):
            images, labels = self.batches.next()
            self.opt.zero_grad()
            x0 = images * 2 - 1                                                     # TrainingStep: [0, 1] -> [-1, 1]
            n = x0.shape[0]
            t = torch.randint(0, self.steps, (n,))
            noise = torch.randn_like(x0)
            alpha_bar = self.alpha_bars.index_select(0, t).reshape(-1, 1, 1, 1)
            xt = alpha_bar.sqrt() * x0 + (1 - alpha_bar).sqrt() * noise
            labels = labels.masked_fill(torch.rand(n) < self.label_dropout, self.classes)   # "no class"
            loss = nn.functional.mse_loss(self.model(xt, t, labels), noise)
            total += loss.item()
            loss.backward()
            self.opt.step()
        return {"loss": total / max(steps, 1)}
