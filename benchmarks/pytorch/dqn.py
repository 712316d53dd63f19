"""Chapter 10's DQN gradient step (Reinforcement/DqnAgent.TrainStep): a minibatch from the replay memory (uniform, with
replacement), targets r + discount * max_a' Q_target(s', a') without gradients, Huber loss on Q(s, a), backward, gradient
clipping, Adam; an MLP Q-network and its target copy. The memory is the C# side's CartPole transitions."""
import torch
from torch import nn

import common


def mlp(inputs, hidden, outputs):
    layers, width = [], inputs
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, outputs))
    return nn.Sequential(*layers)


class Workload:
    def __init__(self, data_dir, config):
        self.online = mlp(config["observation_size"], config["hidden"], config["actions"])
        self.target = mlp(config["observation_size"], config["hidden"], config["actions"])
        self.target.load_state_dict(self.online.state_dict())
        for p in self.target.parameters():
            p.requires_grad_(False)
        self.opt = torch.optim.Adam(self.online.parameters(), lr=config["lr"])
        self.batch, self.clip = config["batch_size"], config["clip"]
        self.states, self.next_states = common.load(data_dir, "states"), common.load(data_dir, "next_states")
        self.actions, self.rewards = common.load(data_dir, "actions"), common.load(data_dir, "rewards")
        self.discounts = common.load(data_dir, "discounts")

    def run(self, steps):
        self.online.train()
        total, n = 0.0, self.states.shape[0]
        for _ in range(steps):
            rows = torch.randint(n, (self.batch,))
            s, a, r = self.states[rows], self.actions[rows], self.rewards[rows]
            s2, d = self.next_states[rows], self.discounts[rows]
            with torch.no_grad():
                y = r + d * self.target(s2).max(1).values
            q = self.online(s).gather(1, a.unsqueeze(1)).squeeze(1)
            loss = nn.functional.smooth_l1_loss(q, y)
            self.opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.online.parameters(), self.clip)
            self.opt.step()
            total += loss.item()
        return {"loss": total / max(steps, 1)}
