namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Value iteration (Bellman 1957; Sutton &amp; Barto 2018, section 4.4): sweep every state with the Bellman optimality
/// backup Q(s, a) = Σ p(s′, r | s, a) [r + γ V(s′)] (no future value after a terminating outcome), V(s) = max_a Q(s, a),
/// until no value moves by more than the tolerance. Needs the model (<see cref="ITabularModel"/>); learns nothing from
/// experience.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning).</remarks>
public static class ValueIteration
{
    /// <summary>Solves <paramref name="model"/> for the optimal action values.</summary>
    /// <param name="model">The known dynamics.</param>
    /// <param name="gamma">Discount factor in [0, 1].</param>
    /// <param name="tolerance">Stop when the largest change of a sweep is below this.</param>
    /// <param name="maxSweeps">Give up after this many sweeps.</param>
    /// <returns>Q*, its values and greedy policy, and the number of sweeps.</returns>
    /// <exception cref="InvalidOperationException">No convergence within <paramref name="maxSweeps"/> (γ = 1 on a problem that never ends).</exception>
    public static TabularSolution Solve(ITabularModel model, double gamma = 0.99, double tolerance = 1e-10, int maxSweeps = 100_000)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (gamma is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "γ is in [0, 1].");
        var (states, actions) = (model.StateCount, model.ActionCount);
        var v = new double[states];
        var q = new double[states, actions];
        for (var sweep = 1; sweep <= maxSweeps; sweep++)
        {
            var delta = 0.0;
            for (var s = 0; s < states; s++)
            {
                var best = double.NegativeInfinity;
                for (var a = 0; a < actions; a++)
                {
                    var value = 0.0;
                    foreach (var t in model.Transitions(s, a))
                        value += t.Probability * (t.Reward + (t.Terminated ? 0 : gamma * v[t.Next]));
                    q[s, a] = value;
                    best = Math.Max(best, value);
                }
                delta = Math.Max(delta, Math.Abs(best - v[s]));
                v[s] = best;   // in place (Gauss–Seidel), as Sutton & Barto's pseudocode
            }
            if (delta < tolerance) return new TabularSolution(q, sweep);
        }
        throw new InvalidOperationException($"Value iteration did not converge in {maxSweeps} sweeps (γ = {gamma}).");
    }
}
