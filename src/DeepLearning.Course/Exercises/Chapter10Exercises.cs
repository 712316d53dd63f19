using System.Globalization;
using DeepLearning.Course.Reinforcement;
using static TorchSharp.torch;

namespace DeepLearning.Course.Exercises;

/// <summary>
/// The checks of chapter 10's exercises (reinforcement learning): discounted returns, the Q-learning target with
/// terminated and truncated steps, a predicted CartPole episode length, ε for the bandit testbed, and the Double DQN target.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning), whose Exercises section calls one check per exercise.</remarks>
public static class Chapter10Exercises
{
    /// <summary>Exercise 10.1: Gₜ = rₜ + γ Gₜ₊₁ for every step of an episode, compared with <see cref="ReinforceAgent.DiscountedReturns"/>.</summary>
    /// <param name="discountedReturns">The learner's function: <c>(rewards, γ) → one return per step</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict DiscountedReturns(Func<double[], double, double[]> discountedReturns) =>
        Exercise.Check("10.1", "discounted returns", () =>
        {
            Expect.That(discountedReturns is not null, "pass your function: Chapter10Exercises.DiscountedReturns(DiscountedReturns).");
            var cases = new (double[] Rewards, double Gamma, string Name)[]
            {
                ([1, 1, 1], 0.9, "rewards [1, 1, 1], γ = 0.9"),
                ([0, 0, 1], 0.5, "rewards [0, 0, 1], γ = 0.5 (a reward only at the goal)"),
                ([1, -2, 3, 0.5], 1.0, "rewards [1, -2, 3, 0.5], γ = 1"),
                ([2, 4], 0.0, "rewards [2, 4], γ = 0"),
                ([], 0.9, "an empty episode"),
            };
            foreach (var (rewards, gamma, name) in cases)
            {
                var expected = ReinforceAgent.DiscountedReturns(rewards, gamma);
                var got = discountedReturns!((double[])rewards.Clone(), gamma);
                Expect.That(got is not null, $"for {name} your function returned null, expected {Show(expected)}.");
                Expect.That(got!.Length == expected.Length, $"for {name} you returned {got.Length} returns, expected one per step: {Show(expected)}.");
                if (Same(got, Prefix(rewards)) && !Same(expected, Prefix(rewards)))
                    throw new NotYetException($"for {name} you returned {Show(got)}: that sums the rewards up to step t. Gₜ is what is still to come, rₜ + γ rₜ₊₁ + γ² rₜ₊₂ + …: go backwards from the end.");
                if (Same(got, ReinforceAgent.DiscountedReturns(rewards, 1.0)) && gamma != 1 && !Same(expected, ReinforceAgent.DiscountedReturns(rewards, 1.0)))
                    throw new NotYetException($"for {name} you returned {Show(got)}, the undiscounted sums: multiply the return that follows by γ at every step.");
                for (var t = 0; t < expected.Length; t++)
                    Expect.Close(got[t], expected[t], $"G_{t} for {name}", 1e-9, 1e-9);
            }
            return "your returns match Gₜ = rₜ + γ Gₜ₊₁ for γ = 0.9, 0.5, 1 and 0, and an empty episode.";
        });

    /// <summary>Exercise 10.2: the Q-learning target of one step, for terminated, truncated and ordinary steps.</summary>
    /// <param name="target">The learner's function: <c>(reward, max_a′ Q(s′, a′), terminated, truncated, γ) → target</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict QTarget(Func<double, double, bool, bool, double, double> target) =>
        Exercise.Check("10.2", "the Q-learning target", () =>
        {
            Expect.That(target is not null, "pass your function: Chapter10Exercises.QTarget(QTarget).");
            var cases = new (double R, double NextMax, bool Terminated, bool Truncated, double Gamma, string Name)[]
            {
                (1, 10, false, false, 0.9, "an ordinary step (r = 1, max Q(s′) = 10, γ = 0.9)"),
                (1, 10, true, false, 0.9, "a step into a hole or off the track (terminated, r = 1, max Q(s′) = 10, γ = 0.9)"),
                (1, 10, false, true, 0.9, "the 500th CartPole step (truncated by the time limit, not terminated; r = 1, max Q(s′) = 10, γ = 0.9)"),
                (0, -3, false, false, 0.5, "a step with r = 0, max Q(s′) = -3, γ = 0.5"),
            };
            foreach (var (r, next, terminated, truncated, gamma, name) in cases)
            {
                var expected = terminated ? r : r + gamma * next;
                var got = target!(r, next, terminated, truncated, gamma);
                if (truncated) Expect.That(Math.Abs(got - r) > 1e-9,
                    $"for {name} you returned {Show(got)}, as if the episode had terminated. A time limit does not end the task: the pole is still up and s′ still has a value, so keep r + γ max Q(s′) = {Show(expected)}.");
                if (terminated) Expect.That(Math.Abs(got - (r + gamma * next)) > 1e-9,
                    $"for {name} you returned {Show(got)}: nothing follows a terminal state, so the target is r alone = {Show(expected)}.");
                Expect.Close(got, expected, $"the target for {name}", 1e-9, 1e-9);
            }
            return "your targets bootstrap on ordinary and truncated steps and stop at terminated ones.";
        });

    /// <summary>Exercise 10.3: predict how many steps CartPole lasts when the agent always pushes right from rest.</summary>
    /// <param name="predictedSteps">The learner's prediction (null until answered).</param>
    /// <returns>The verdict: right within 10%, with the simulated answer either way.</returns>
    public static ExerciseVerdict AlwaysRightSteps(int? predictedSteps) => Exercise.Check("10.3", "predict how long the pole stays up when you always push right", () =>
    {
        var predicted = Expect.Answered(predictedSteps, "predictedSteps");
        var env = new CartPole();
        var obs = env.ResetTo(0, 0, 0, 0);
        var steps = 0;
        Transition<double[]> t;
        do { t = env.Step(1); steps++; } while (!t.Done);
        var why = $"pushing right accelerates the cart to the right, so the pole, which starts exactly upright, tips left (θ < 0) and falls ever faster; after {steps} steps θ = {Show(t.Observation[2] * 180 / Math.PI)}° is past −12° (the cart has moved only {Show(t.Observation[0])} m).";
        Expect.That(Math.Abs(predicted - steps) <= 0.1 * steps, $"predictedSteps: you said {predicted}, the simulation says {steps}: {why}");
        return $"{steps} steps, and you said {predicted}: {why}";
    });

    /// <summary>Exercise 10.4: an ε for which ε-greedy beats the purely greedy agent on the 10-armed testbed, and why.</summary>
    /// <param name="epsilon">The learner's ε (null until answered).</param>
    /// <param name="explanation">Why exploring helps here, and what too much of it costs.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict Epsilon(double? epsilon, string explanation) => Exercise.Check("10.4", "how much to explore", () =>
    {
        var eps = Expect.Answered(epsilon, "epsilon");
        Expect.That(eps is >= 0 and <= 1, $"epsilon = {Show(eps)} is not a probability: choose it in [0, 1].");
        const int runs = 300, steps = 1000;
        var greedy = BanditExperiment.Run((arms, r) => new EpsilonGreedyAgent(arms, 0, seed: r), runs: runs, steps: steps, seed: 10_000).FinalAverageReward(500);
        var yours = BanditExperiment.Run((arms, r) => new EpsilonGreedyAgent(arms, eps, seed: r), runs: runs, steps: steps, seed: 10_000).FinalAverageReward(500);
        var what = $"over {runs} testbed problems, mean reward of steps 501–1,000: greedy {Show(greedy)}, ε = {Show(eps)} {Show(yours)}";
        Expect.That(eps > 0, $"{what}. ε = 0 is the greedy agent itself: it never tries an arm whose first rewards were unlucky.");
        Expect.That(yours >= greedy + 0.1, eps >= 0.5
            ? $"{what}: with ε that large most pulls are random, and a random arm's expected reward is 0. Explore less."
            : $"{what}: ε-greedy must win by at least 0.1. Explore a little more, so the best arm is found early.");
        Expect.Written(explanation, "explanation", 8);
        return $"{what}: exploring a fraction ε of the time finds the best arm; the rest of the time exploits it.";
    });

    /// <summary>Exercise 10.5: the Double DQN target (van Hasselt et al. 2016): the online network chooses a′, the target network values it.</summary>
    /// <param name="doubleDqnTarget">The learner's function: <c>(rewards (B), discounts (B), nextQOnline (B, A), nextQTarget (B, A)) → targets (B)</c>.</param>
    /// <returns>The verdict.</returns>
    public static ExerciseVerdict DoubleDqnTarget(Func<Tensor, Tensor, Tensor, Tensor, Tensor> doubleDqnTarget) =>
        Exercise.Check("10.5", "the Double DQN target", () =>
        {
            Expect.That(doubleDqnTarget is not null, "pass your function: Chapter10Exercises.DoubleDqnTarget(DoubleDqnTarget).");
            using var scope = NewDisposeScope();
            var g = new Generator(10);
            var cases = new (Tensor R, Tensor D, Tensor Online, Tensor Target, string Name)[]
            {
                (tensor(new float[] { 1, 1, 0 }), tensor(new float[] { 0.99f, 0, 0.99f }),
                    tensor(new float[,] { { 2, 5 }, { 1, 0 }, { 3, 1 } }), tensor(new float[,] { { 4, 1 }, { 7, 2 }, { 0, 6 } }),
                    "3 transitions, 2 actions, the second terminated"),
                (rand(new long[] { 8 }, generator: g), full(8, 0.9f), randn(new long[] { 8, 4 }, generator: g), randn(new long[] { 8, 4 }, generator: g),
                    "8 random transitions, 4 actions, γ = 0.9"),
            };
            foreach (var (r, d, online, targetQ, name) in cases)
            {
                var chosen = online.argmax(1, keepdim: true);                        // (B, 1): the online network's choice
                var expected = r + d * targetQ.gather(1, chosen).squeeze(1);         // (B)
                var got = doubleDqnTarget!(r, d, online, targetQ);
                Expect.Shape(got, [r.shape[0]], $"the targets for {name}");
                Mistakes.If(got, r + d * targetQ.max(1).values, expected,
                    $"for {name} you took max_a′ Q_target(s′, a′): that is DQN's target. Double DQN lets the online network choose a′ = argmax Q_online(s′, ·) and the target network value it.");
                Mistakes.If(got, r + d * online.max(1).values, expected,
                    $"for {name} you took max_a′ Q_online(s′, a′): the online network both chooses and values a′, the overestimation Double DQN avoids. Value the choice with Q_target.");
                Mistakes.If(got, r + targetQ.gather(1, chosen).squeeze(1), expected,
                    $"for {name} you did not multiply by the discounts: a terminated step (discount 0) must get r alone.");
                Expect.Close(got, expected, $"the targets for {name}");
            }
            return "your targets take a′ from the online network and its value from the target network, and stop at terminated steps.";
        });

    private static double[] Prefix(double[] rewards)
    {
        var sums = new double[rewards.Length];
        var total = 0.0;
        for (var t = 0; t < rewards.Length; t++) sums[t] = total += rewards[t];
        return sums;
    }

    private static bool Same(double[] a, double[] b) => a.Length == b.Length && a.Zip(b).All(p => Math.Abs(p.First - p.Second) < 1e-9);

    private static string Show(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Show(double[] values) => "[" + string.Join(", ", values.Select(Show)) + "]";
}
