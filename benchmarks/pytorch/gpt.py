"""Chapter 06's small GPT (Models/Gpt: pre-norm blocks, learned positions, GELU MLP, untied head), AdamW.

PyTorch 1.13 has no scaled_dot_product_attention (added in 2.0), so attention is written out the
way Models/Attention.ScaledDotProduct writes it: QK^T / sqrt(d), causal mask, softmax, times V.
"""
import math

import torch
from torch import nn

import common


class MultiHeadAttention(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(dim, dim)
        self.key_value = nn.Linear(dim, 2 * dim)
        self.output = nn.Linear(dim, dim)
        self.dropout = nn.Dropout(dropout)
        self.p = dropout

    def split(self, t):                       # (B, T, C) -> (B, h, T, C/h)
        B, T, _ = t.shape
        return t.view(B, T, self.heads, -1).transpose(1, 2)

    def forward(self, x):
        B, T, C = x.shape
        q = self.split(self.query(x))
        k, v = (self.split(t) for t in self.key_value(x).chunk(2, -1))
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])            # (B, h, T, T)
        mask = torch.ones(T, T, dtype=torch.bool).tril()
        weights = scores.masked_fill(~mask, float("-inf")).softmax(-1)
        if self.training and self.p > 0:
            weights = nn.functional.dropout(weights, self.p)
        y = (weights @ v).transpose(1, 2).reshape(B, T, C)
        return self.dropout(self.output(y))


class Block(nn.Module):
    def __init__(self, dim, heads, dropout):
        super().__init__()
        self.ln1, self.attn, self.ln2 = nn.LayerNorm(dim), MultiHeadAttention(dim, heads, dropout), nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim), nn.Dropout(dropout))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Gpt(nn.Module):
    def __init__(self, c):
        super().__init__()
        C = c["embedding_dim"]
        self.token = nn.Embedding(c["vocab_size"], C)
        self.position = nn.Embedding(c["block_size"], C)
        self.dropout = nn.Dropout(c["dropout"])
        self.blocks = nn.ModuleList([Block(C, c["heads"], c["dropout"]) for _ in range(c["layers"])])
        self.ln_final = nn.LayerNorm(C)
        self.head = nn.Linear(C, c["vocab_size"], bias=False)

    def forward(self, tokens):                # (B, T)
        T = tokens.shape[1]
        x = self.dropout(self.token(tokens) + self.position(torch.arange(T)))
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_final(x))    # (B, T, V)


class Workload(common.Supervised):
    def __init__(self, data_dir, config):
        model = Gpt(config)
        batches = common.Batches(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        opt = common.optimizer(config["optimizer"], model.parameters(), config["lr"], config["weight_decay"])
        super().__init__(model, common.sequence_cross_entropy, opt, batches, clip=config.get("clip"))
