"""Chapter 05's MovieLens dot-product model with biases (Models/DotProductBias), MSE."""
import torch
from torch import nn

import common


class DotProductBias(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.user_factors = nn.Embedding(c["num_users"], c["factors"])
        self.item_factors = nn.Embedding(c["num_items"], c["factors"])
        self.user_bias = nn.Embedding(c["num_users"], 1)
        self.item_bias = nn.Embedding(c["num_items"], 1)
        with torch.no_grad():
            for e in (self.user_factors, self.item_factors, self.user_bias, self.item_bias):
                e.weight.normal_(0, c["init_std"])
        self.low, self.high = c["y_low"], c["y_high"]

    def forward(self, x):                    # (B, 2): user, item
        users, items = x[:, 0], x[:, 1]
        r = (self.user_factors(users) * self.item_factors(items)).sum(1)
        r = r + self.user_bias(users).squeeze(1) + self.item_bias(items).squeeze(1)
        return torch.sigmoid(r) * (self.high - self.low) + self.low


def mse(y_hat, y):
    return nn.functional.mse_loss(y_hat, y.reshape(y_hat.shape))


class Workload(common.Supervised):
    def __init__(self, data_dir, config):
        model = DotProductBias(config)
        batches = common.Batches(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        opt = common.optimizer(config["optimizer"], model.parameters(), config["lr"], config["weight_decay"])
        super().__init__(model, mse, opt, batches, one_cycle=config.get("one_cycle_steps"), max_lr=config["lr"])
