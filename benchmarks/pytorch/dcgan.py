"""Chapter 07's DCGAN (Models/DcGan) trained as Training/GanTrainer does (vanilla loss, Adam betas (0.5, 0.999))."""
import torch
from torch import nn

import common


def init(module):
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith(".weight") and p.dim() == 4:
                p.normal_(0, 0.02)
            elif ".bn" in name and name.endswith(".weight"):
                p.normal_(1, 0.02)
            elif name.endswith(".bias"):
                p.zero_()


class Generator(nn.Module):
    def __init__(self, c):
        super().__init__()
        z, w = c["latent_dim"], c["generator_width"]
        self.z = z
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z, 2 * w, 7, 1, 0, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(),
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(),
            nn.ConvTranspose2d(w, c["channels"], 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.net(z.reshape(z.shape[0], self.z, 1, 1))


class Discriminator(nn.Module):
    def __init__(self, c):
        super().__init__()
        w = c["discriminator_width"]
        self.net = nn.Sequential(
            nn.Conv2d(c["channels"], w, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * w, 1, 7), nn.Flatten())

    def forward(self, x):
        return self.net(x)


class Workload:
    def __init__(self, data_dir, config):
        self.G, self.D = Generator(config), Discriminator(config)
        init(self.G)
        init(self.D)
        betas = (config["beta1"], config["beta2"])
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=config["lr_g"], betas=betas)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=config["lr_d"], betas=betas)
        X = common.load(data_dir, "X")
        self.batches = common.Batches(X, torch.zeros(X.shape[0]), config["batch_size"])
        self.latent = config["latent_dim"]

    def run(self, steps):
        bce = nn.functional.binary_cross_entropy_with_logits
        self.G.train()
        self.D.train()
        total_d = total_g = d_x = d_g_z = 0.0
        for _ in range(steps):
            real, _ = self.batches.next()
            n = real.shape[0]
            fake = self.G(torch.randn(n, self.latent))
            self.opt_d.zero_grad()
            real_score = self.D(real).reshape(n)
            fake_score = self.D(fake.detach()).reshape(n)
            loss_d = (bce(real_score, torch.ones_like(real_score)) + bce(fake_score, torch.zeros_like(fake_score))) / 2
            d_x = real_score.detach().sigmoid().mean().item()      # GanTrainer reports D(x) and D(G(z)) per step
            d_g_z = fake_score.detach().sigmoid().mean().item()
            loss_d.backward()
            self.opt_d.step()
            total_d += loss_d.item()
            self.opt_g.zero_grad()
            score = self.D(fake).reshape(n)
            loss_g = bce(score, torch.ones_like(score))
            loss_g.backward()
            self.opt_g.step()
            self.opt_d.zero_grad()
            total_g += loss_g.item()
        return {"loss_d": total_d / max(steps, 1), "loss_g": total_g / max(steps, 1), "d_x": d_x, "d_g_z": d_g_z}
