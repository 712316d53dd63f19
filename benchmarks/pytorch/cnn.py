"""Chapter 03's modern CNN (Models/ModernCnn, default ModernCnnConfig), Adam."""
import torch
from torch import nn

import common


def build(c):
    s = c["image_size"] // 4
    return nn.Sequential(
        nn.Conv2d(c["in_channels"], c["channels1"], 3, padding=1, bias=False),
        nn.BatchNorm2d(c["channels1"]), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(c["channels1"], c["channels2"], 3, padding=1, bias=False),
        nn.BatchNorm2d(c["channels2"]), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(c["dropout"]), nn.Linear(c["channels2"] * s * s, c["hidden"]), nn.ReLU(),
        nn.Dropout(c["dropout"]), nn.Linear(c["hidden"], c["classes"]))


class Workload(common.Supervised):
    def __init__(self, data_dir, config):
        model = build(config)
        batches = common.Batches(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        opt = common.optimizer(config["optimizer"], model.parameters(), config["lr"])
        super().__init__(model, torch.nn.functional.cross_entropy, opt, batches, metric=common.accuracy)
