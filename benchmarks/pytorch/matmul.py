"""The machine's float32 matrix-multiply peak: N x N @ N x N, repeated."""
import torch


class Workload:
    def __init__(self, data_dir, config):
        n = config["size"]
        self.a, self.b = torch.randn(n, n), torch.randn(n, n)

    def run(self, steps):
        for _ in range(steps):
            c = self.a @ self.b
        return {"check": float(c[0, 0])}
