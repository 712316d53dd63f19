"""Chapter 11's GCN on Cora (Models/Gcn, Graphs/NodeClassifier): Z = Â ReLU(Â X W0) W1 over the sparse Â and the sparse
features X, dropout 0.5 on each layer's input (on X's stored values only, as Graphs/SparseDropout), Adam with weight
decay on the first layer only; a step is one full-batch step on the labelled nodes."""
import torch
from torch import nn

import common


class GraphConvolution(nn.Module):
    def __init__(self, inputs, outputs):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(inputs, outputs))
        nn.init.xavier_uniform_(self.weight)
        self.bias = nn.Parameter(torch.zeros(outputs))

    def forward(self, h, adjacency):
        support = torch.sparse.mm(h, self.weight) if h.is_sparse else h @ self.weight
        return torch.sparse.mm(adjacency, support) + self.bias


class Gcn(nn.Module):
    def __init__(self, c, adjacency, features):
        super().__init__()
        self.first = GraphConvolution(c["inputs"], c["hidden"])
        self.second = GraphConvolution(c["hidden"], c["outputs"])
        self.dropout, self.adjacency, self.features = c["dropout"], adjacency, features

    def forward(self, nodes):                # (B,) node ids -> (B, classes)
        x = self.features
        h = torch.sparse_coo_tensor(x._indices(), nn.functional.dropout(x._values(), self.dropout, self.training), x.shape)
        h = torch.relu(self.first(h, self.adjacency))
        h = nn.functional.dropout(h, self.dropout, self.training)
        return self.second(h, self.adjacency).index_select(0, nodes)


class InOrder:
    """The labelled nodes, the same full batch every step (the C# side's DataLoader without shuffling)."""

    def __init__(self, X, y, batch_size):
        self.X, self.y = X[:batch_size], y[:batch_size]

    def next(self):
        return self.X, self.y


class Workload(common.Supervised):
    def __init__(self, data_dir, config):
        n = config["num_nodes"]
        adjacency = torch.sparse_coo_tensor(common.load(data_dir, "adj_indices"), common.load(data_dir, "adj_values"), (n, n))
        features = torch.sparse_coo_tensor(common.load(data_dir, "feature_indices"), common.load(data_dir, "feature_values"),
                                           (n, config["inputs"]))
        model = Gcn(config, adjacency, features)
        opt = torch.optim.Adam([
            {"params": model.first.parameters(), "weight_decay": config["weight_decay"]},
            {"params": model.second.parameters(), "weight_decay": 0.0},
        ], lr=config["lr"])
        batches = InOrder(common.load(data_dir, "X"), common.load(data_dir, "y"), config["batch_size"])
        super().__init__(model, torch.nn.functional.cross_entropy, opt, batches, metric=common.accuracy)
