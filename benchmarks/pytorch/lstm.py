"""Chapter 04's character LSTM (Models/CharRnn: embedding -> nn.LSTM, batch first -> linear), Adam, gradient clipping."""
from torch import nn

import common


class CharRnn(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embedding = nn.Embedding(c["vocab_size"], c["embedding_dim"])
        self.rnn = nn.LSTM(c["embedding_dim"], c["hidden_size"], c["num_layers"], batch_first=True)
        self.head = nn.Linear(c["hidden_size"], c["vocab_size"])

    def forward(self, tokens):               # (B, T)
        h, _ = self.rnn(self.embedding(tokens))  # (B, T, H)
        return self.head(h)                  # (B, T, V)


class Workload(common.Supervised):
    def __init__(self, data_dir, config):
        model = CharRnn(config)
        batches = common.Batches(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        opt = common.optimizer(config["optimizer"], model.parameters(), config["lr"], config["weight_decay"])
        super().__init__(model, common.sequence_cross_entropy, opt, batches, clip=config.get("clip"))
