using DeepLearning.Course.Reinforcement;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>
/// CartPole's dynamics against the published equations, written out here on their own (Barto, Sutton &amp; Anderson
/// 1983 in Florian's 2007 corrected form, friction 0, Gym's constants and its explicit Euler step), never by calling the
/// implementation.
/// </summary>
public class CartPoleTests
{
    // Gym CartPole-v1's constants, restated (not read from the class under test)
    private const double G = 9.8, Mc = 1.0, Mp = 0.1, L = 0.5, F = 10.0, Dt = 0.02;
    private const double ThetaLimit = 12 * 2 * Math.PI / 360, XLimit = 2.4;

    /// <summary>One Euler step of the reference equations:
    /// θ̈ = [g sin θ + cos θ (−F − m_p l θ̇² sin θ) / (m_c + m_p)] / [l (4/3 − m_p cos² θ / (m_c + m_p))],
    /// ẍ = [F + m_p l (θ̇² sin θ − θ̈ cos θ)] / (m_c + m_p).</summary>
    private static double[] Reference(double[] s, int action)
    {
        var (x, xDot, theta, thetaDot) = (s[0], s[1], s[2], s[3]);
        var force = action == 1 ? F : -F;
        var m = Mc + Mp;
        var thetaAcc = (G * Math.Sin(theta) + Math.Cos(theta) * (-force - Mp * L * thetaDot * thetaDot * Math.Sin(theta)) / m)
                       / (L * (4.0 / 3.0 - Mp * Math.Cos(theta) * Math.Cos(theta) / m));
        var xAcc = (force + Mp * L * (thetaDot * thetaDot * Math.Sin(theta) - thetaAcc * Math.Cos(theta))) / m;
        return [x + Dt * xDot, xDot + Dt * xAcc, theta + Dt * thetaDot, thetaDot + Dt * thetaAcc];
    }

    private static bool Fallen(double[] s) => Math.Abs(s[0]) > XLimit || Math.Abs(s[2]) > ThetaLimit;

    private static void AssertClose(double[] expected, double[] actual, string when)
    {
        for (var i = 0; i < 4; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])),
                $"{when}, component {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void A_fixed_action_sequence_follows_the_published_equations_step_by_step()
    {
        // Given a start state and a fixed, irregular action sequence
        var env = new CartPole();
        var state = env.ResetTo(0.01, -0.02, 0.03, 0.04);
        var actions = new[] { 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
        var expected = new[] { 0.01, -0.02, 0.03, 0.04 };
        // When the environment and the reference equations take the same steps
        for (var t = 0; t < actions.Length; t++)
        {
            var step = env.Step(actions[t]);
            expected = Reference(expected, actions[t]);
            // Then every state agrees to rounding, and every step pays 1
            AssertClose(expected, step.Observation, $"step {t + 1}");
            Assert.Equal(1.0, step.Reward);
            Assert.Equal(Fallen(expected), step.Terminated);
        }
        AssertClose(expected, env.State, "the final state");
        Assert.Equal(actions.Length, env.Steps);
    }

    [Fact]
    public void Always_pushing_right_tips_the_pole_left_and_terminates_at_twelve_degrees()
    {
        // Given the upright pole at rest, pushed right at every step
        var env = new CartPole();
        env.ResetTo(0, 0, 0, 0);
        var expected = new double[] { 0, 0, 0, 0 };
        Transition<double[]> step;
        var steps = 0;
        // When it runs until the episode ends
        do
        {
            step = env.Step(1);
            expected = Reference(expected, 1);
            steps++;
            AssertClose(expected, step.Observation, $"step {steps}");
            // Then it ends exactly when the reference angle first passes −12°, and not before
            Assert.Equal(expected[2] < -ThetaLimit, step.Terminated);
        } while (!step.Done);
        Assert.True(step.Terminated);
        Assert.False(step.Truncated);
        Assert.True(step.Observation[2] < -ThetaLimit && step.Observation[0] > 0, "the pole falls left while the cart moves right");
        Assert.Equal(1.0, step.Reward);   // the terminating step pays 1 too, as Gym's
        Assert.InRange(steps, 5, 60);
        Assert.Throws<InvalidOperationException>(() => env.Step(1));
    }

    [Fact]
    public void Leaving_the_track_terminates_at_two_point_four_metres()
    {
        // Given the cart near the right end of the track, moving right
        var env = new CartPole();
        env.ResetTo(2.37, 1.0, 0, 0);
        // When it steps (pushing left cannot stop it within one step: x moves with the old velocity)
        var first = env.Step(0);
        var second = env.Step(0);
        // Then the first step (x = 2.39) is inside and the second (x ≈ 2.406) is beyond 2.4
        Assert.False(first.Terminated);
        Assert.Equal(2.37 + 0.02 * 1.0, first.Observation[0], 12);
        Assert.True(second.Observation[0] > XLimit);
        Assert.True(second.Terminated);
    }

    [Fact]
    public void An_episode_that_keeps_the_pole_up_is_truncated_at_500_steps_not_terminated()
    {
        // Given a linear-feedback controller (push toward where the pole leans, with the usual LQR signs)
        var env = new CartPole();
        var obs = env.ResetTo(0, 0, 0.01, 0);
        // When it balances for as long as the episode lasts
        for (var t = 1; t <= 500; t++)
        {
            var action = obs[0] + 1.6 * obs[1] + 18 * obs[2] + 3 * obs[3] > 0 ? 1 : 0;
            var step = env.Step(action);
            // (every step from the state before it follows the equations; over 500 closed-loop steps rounding differences
            // would grow, so the trajectory is compared step by step)
            AssertClose(Reference(obs, action), step.Observation, $"step {t}");
            obs = step.Observation;
            Assert.False(step.Terminated, $"the controller dropped the pole at step {t}: {string.Join(", ", obs)}");
            // Then only the 500th step is truncated
            Assert.Equal(t == 500, step.Truncated);
        }
        Assert.Equal(CartPole.MaxSteps, env.Steps);
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
    }

    [Fact]
    public void Seeded_resets_repeat_and_start_within_five_hundredths_of_upright()
    {
        // Given two environments reset with the same seed and one with another
        var (a, b, c) = (new CartPole(), new CartPole(), new CartPole());
        // When they reset (and a reset without a seed continues the generator)
        var (sa, sb, sc) = (a.Reset(7), b.Reset(7), c.Reset(8));
        var (na, nb) = (a.Reset(), b.Reset());
        // Then equal seeds give equal start states, different seeds different ones, all within ±0.05
        Assert.Equal(sa, sb);
        Assert.Equal(na, nb);
        Assert.NotEqual(sa, sc);
        Assert.NotEqual(sa, na);
        Assert.All(new[] { sa, sc, na }.SelectMany(s => s), v => Assert.InRange(v, -0.05, 0.05));
        Assert.Equal(2, a.ActionCount);
        Assert.False(a.ObservationSpace.IsDiscrete);
        Assert.Equal(4, a.ObservationSpace.Size);
    }

    [Fact]
    public void Constants_are_gyms_and_bad_actions_are_refused()
    {
        Assert.Equal(G, CartPole.Gravity);
        Assert.Equal(Mc, CartPole.MassCart);
        Assert.Equal(Mp, CartPole.MassPole);
        Assert.Equal(L, CartPole.HalfLength);
        Assert.Equal(F, CartPole.ForceMagnitude);
        Assert.Equal(Dt, CartPole.Tau);
        Assert.Equal(0.20943951023931953, CartPole.ThetaThreshold, 15);
        Assert.Equal(XLimit, CartPole.XThreshold);
        Assert.Equal(500, CartPole.MaxSteps);
        var env = new CartPole();
        Assert.Throws<InvalidOperationException>(() => env.Step(0));   // not reset
        env.Reset(0);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(2));
    }

    [Fact]
    public void Frames_draw_one_image_per_state()
    {
        // Given three states of an episode
        var states = new List<double[]> { new double[] { 0, 0, 0, 0 }, new double[] { 1, 0, 0.1, 0 }, new double[] { -1, 0, -0.2, 0 } };
        // When they are drawn
        using var frames = CartPole.Frames(states, 120, 60);
        // Then there is one RGB frame each in [0, 1], and the frames differ where the cart and pole are
        Assert.Equal(new long[] { 3, 3, 60, 120 }, frames.shape);
        Assert.True(frames.min().item<float>() >= 0 && frames.max().item<float>() <= 1);
        Assert.True((frames[0] - frames[1]).abs().sum().item<float>() > 10);
    }
}
