"""Shared pieces of the PyTorch peer workloads: loading the C# side's arrays, batching, the step."""
import os

import numpy
import torch


def load(data_dir, name):
    """The array the C# side wrote as DATA_DIR/NAME.npy, as a tensor."""
    return torch.from_numpy(numpy.load(os.path.join(data_dir, name + ".npy")))


def optimizer(name, params, lr, weight_decay=0.0, betas=(0.9, 0.999)):
    """The optimizers the course's Optimizers presets build (torch.optim defaults otherwise)."""
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, betas=betas)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay, betas=betas)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)
    raise ValueError(name)


class Batches:
    """Shuffled mini-batches by index: a fresh permutation per pass, index_select per batch
    (the fast idiom; a DataLoader over a TensorDataset would collate row by row and be slower)."""

    def __init__(self, X, y, batch_size):
        self.X, self.y, self.batch_size = X, y, batch_size
        self.perm, self.position = None, 0

    def next(self):
        n = self.X.shape[0]
        if self.perm is None or self.position + self.batch_size > n:
            self.perm, self.position = torch.randperm(n), 0
        rows = self.perm[self.position:self.position + self.batch_size]
        self.position += self.batch_size
        return self.X.index_select(0, rows), self.y.index_select(0, rows)


class Supervised:
    """What the course's Trainer does per batch, written as a PyTorch user would: zero_grad,
    forward, loss, loss.item(), backward, optional clipping, step, and the chapter's metric."""

    def __init__(self, model, loss, opt, batches, metric=None, clip=None, one_cycle=None, max_lr=None):
        self.model, self.loss, self.opt, self.batches = model, loss, opt, batches
        self.metric, self.clip = metric, clip
        self.one_cycle, self.max_lr = one_cycle, max_lr

    def run(self, steps):
        self.model.train()
        total, metric_sum = 0.0, 0.0
        schedule = None
        if self.one_cycle:  # a fresh per-batch one-cycle schedule per run, as Trainer.Fit builds one per call
            schedule = torch.optim.lr_scheduler.OneCycleLR(self.opt, self.max_lr, total_steps=self.one_cycle)
        for step in range(steps):
            X, y = self.batches.next()
            self.opt.zero_grad()
            y_hat = self.model(X)
            loss = self.loss(y_hat, y)
            total += loss.item()
            loss.backward()
            if self.clip is not None:
                torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)
            self.opt.step()
            if schedule is not None and step + 1 < self.one_cycle:
                schedule.step()
            if self.metric is not None:
                metric_sum += self.metric(y_hat.detach(), y)
        return {"loss": total / max(steps, 1)}


def accuracy(y_hat, y):
    return (y_hat.argmax(-1) == y).sum().item()


def sequence_cross_entropy(y_hat, y):
    return torch.nn.functional.cross_entropy(y_hat.reshape(-1, y_hat.shape[-1]), y.reshape(-1))
