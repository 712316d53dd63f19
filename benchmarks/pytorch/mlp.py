"""Chapter 02's Fashion-MNIST MLP (Models/Mlp with MlpConfig(Hidden: [512, 256], Dropout: 0.2)), Adam."""
import torch
from torch import nn

import common


def build(config):
    layers, width = [nn.Flatten()], config["inputs"]
    for hidden in config["hidden"]:
        layers += [nn.Linear(width, hidden), nn.ReLU()]
        if config["dropout"] > 0:
            layers.append(nn.Dropout(config["dropout"]))
        width = hidden
    layers.append(nn.Linear(width, config["outputs"]))
    return nn.Sequential(*layers)


class Workload(common.Supervised):
    def __init__(self, data_dir, config):
        model = build(config)
        batches = common.Batches(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        opt = common.optimizer(config["optimizer"], model.parameters(), config["lr"])
        super().__init__(model, torch.nn.functional.cross_entropy, opt, batches, metric=common.accuracy)
