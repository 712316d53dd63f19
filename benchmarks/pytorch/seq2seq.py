"""Chapter 12's grapheme-to-phoneme model (Models/AttentionSeq2Seq + Models/AdditiveAttention): a bidirectional GRU
encoder, a GRU-cell decoder with additive (Bahdanau) attention, teacher-forced on packed [source | decoder input] rows."""
import torch
from torch import nn

import common


class AdditiveAttention(nn.Module):
    def __init__(self, query_dim, key_dim, attention_dim):
        super().__init__()
        self.query = nn.Linear(query_dim, attention_dim, bias=False)
        self.key = nn.Linear(key_dim, attention_dim)
        self.score = nn.Linear(attention_dim, 1, bias=False)

    def attend(self, query, projected_keys, values, mask):
        hidden = torch.tanh(self.query(query).unsqueeze(1) + projected_keys)        # (B, S, A)
        scores = self.score(hidden).squeeze(-1).masked_fill(~mask, float("-inf"))   # (B, S)
        weights = scores.softmax(-1)
        return weights.unsqueeze(1).bmm(values).squeeze(1), weights                 # (B, 2H), (B, S)


class AttentionSeq2Seq(nn.Module):
    def __init__(self, c):
        super().__init__()
        E, H = c["embedding_dim"], c["hidden_size"]
        self.S, self.source_pad = c["source_length"], c["source_pad"]
        self.source_embedding = nn.Embedding(c["source_vocab"], E, padding_idx=c["source_pad"])
        self.encoder = nn.GRU(E, H, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * H, H)
        self.attention = AdditiveAttention(H, 2 * H, H)
        self.target_embedding = nn.Embedding(c["target_vocab"], E, padding_idx=c["target_pad"])
        self.cell = nn.GRUCell(E + 2 * H, H)
        self.dropout = nn.Dropout(c["dropout"])
        self.output = nn.Linear(3 * H, c["target_vocab"])

    def forward(self, packed):                                                      # (B, S + T)
        source, target = packed[:, :self.S], packed[:, self.S:]
        mask = source != self.source_pad
        memory, _ = self.encoder(self.dropout(self.source_embedding(source)))       # (B, S, 2H)
        m = mask.unsqueeze(-1).to(memory.dtype)
        state = torch.tanh(self.bridge((memory * m).sum(1) / m.sum(1).clamp_min(1)))
        keys = self.attention.key(memory)
        logits = []
        for t in range(target.shape[1]):
            context, _ = self.attention.attend(state, keys, memory, mask)
            state = self.cell(torch.cat([self.dropout(self.target_embedding(target[:, t])), context], 1), state)
            logits.append(self.output(self.dropout(torch.cat([state, context], 1))))
        return torch.stack(logits, 1)                                               # (B, T, V)


class Workload(common.Supervised):
    def __init__(self, data_dir, config):
        model = AttentionSeq2Seq(config)
        batches = common.Batches(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        opt = common.optimizer(config["optimizer"], model.parameters(), config["lr"], config["weight_decay"])
        pad = config["target_pad"]

        def loss(y_hat, y):
            return nn.functional.cross_entropy(y_hat.reshape(-1, y_hat.shape[-1]), y.reshape(-1), ignore_index=pad)

        super().__init__(model, loss, opt, batches, clip=config.get("clip"))
