"""Chapter 08's VAE (Models/Vae: 784-400-20, Bernoulli logits) trained as Trainer + vae.ElboStep does, on images binarised afresh per batch."""
import torch
from torch import nn

import common


class Vae(nn.Module):
    def __init__(self, inputs, hidden, latent):
        super().__init__()
        self.encode, self.mean, self.log_variance = nn.Linear(inputs, hidden), nn.Linear(hidden, latent), nn.Linear(hidden, latent)
        self.decode, self.logits = nn.Linear(latent, hidden), nn.Linear(hidden, inputs)

    def forward(self, x):
        h = torch.relu(self.encode(x.reshape(x.shape[0], -1)))
        mean, log_variance = self.mean(h), self.log_variance(h)
        z = mean + (0.5 * log_variance).exp() * torch.randn_like(mean)
        return self.logits(torch.relu(self.decode(z))).reshape(x.shape), mean, log_variance


class Workload:
    def __init__(self, data_dir, config):
        self.model = Vae(config["inputs"], config["hidden"], config["latent"])
        self.opt = common.optimizer("adam", self.model.parameters(), config["lr"])
        X = common.load(data_dir, "X")
        self.batches = common.Batches(X, torch.zeros(X.shape[0]), config["batch_size"])

    def run(self, steps):
        self.model.train()
        total = 0.0
        for _ in range(steps):
            grey, _ = self.batches.next()
            x = torch.bernoulli(grey)
            self.opt.zero_grad()
            logits, mean, log_variance = self.model(x)
            reconstruction = nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").reshape(x.shape[0], -1).sum(1)
            kl = -0.5 * (1 + log_variance - mean.square() - log_variance.exp()).sum(1)
            loss = (reconstruction + kl).mean()
            total += loss.item()
            loss.backward()
            self.opt.step()
            reconstruction.mean().item()   # ElboStep reports both terms per step
            kl.mean().item()
        return {"loss": total / max(steps, 1)}
