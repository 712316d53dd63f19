using DeepLearning.Course.Exercises;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Exercises;

/// <summary>Chapter 10's checks: a right answer is correct, the untouched starter is "not yet", a typical mistake is named.</summary>
public class Chapter10ExercisesTests
{
    private const string Starter = "the starter still throws NotImplementedException";

    [Fact]
    public void Discounted_returns_go_backwards_from_the_end()
    {
        // Given the right returns and two typical mistakes
        static double[] Right(double[] r, double gamma)
        {
            var g = new double[r.Length];
            var next = 0.0;
            for (var t = r.Length - 1; t >= 0; t--) g[t] = next = r[t] + gamma * next;
            return g;
        }
        static double[] Forward(double[] r, double gamma)
        {
            var g = new double[r.Length];
            var sum = 0.0;
            for (var t = 0; t < r.Length; t++) g[t] = sum += r[t];
            return g;
        }
        static double[] Undiscounted(double[] r, double gamma) => Right(r, 1.0);
        // Then
        Assert.True(Chapter10Exercises.DiscountedReturns(Right).Solved);
        Assert.Contains(Starter, Chapter10Exercises.DiscountedReturns((_, _) => throw new NotImplementedException()).Message);
        Assert.Contains("sums the rewards up to step t", Chapter10Exercises.DiscountedReturns(Forward).Message);
        Assert.Contains("undiscounted sums", Chapter10Exercises.DiscountedReturns(Undiscounted).Message);
    }

    [Fact]
    public void The_q_target_bootstraps_on_truncation_but_not_on_termination()
    {
        Assert.True(Chapter10Exercises.QTarget((r, next, term, trunc, g) => term ? r : r + g * next).Solved);
        Assert.Contains(Starter, Chapter10Exercises.QTarget((_, _, _, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("as if the episode had terminated", Chapter10Exercises.QTarget((r, next, term, trunc, g) => term || trunc ? r : r + g * next).Message);
        Assert.Contains("nothing follows a terminal state", Chapter10Exercises.QTarget((r, next, term, trunc, g) => r + g * next).Message);
    }

    [Fact]
    public void The_always_right_prediction_is_checked_against_the_simulation()
    {
        // Given the true length, simulated here
        var env = new DeepLearning.Course.Reinforcement.CartPole();
        env.ResetTo(0, 0, 0, 0);
        var steps = 1;
        while (!env.Step(1).Done) steps++;
        // Then the truth (and a near answer) is solved, null is "not yet", and a far answer hears the true number
        Assert.True(Chapter10Exercises.AlwaysRightSteps(steps).Solved);
        Assert.Contains("predictedSteps is still null", Chapter10Exercises.AlwaysRightSteps(null).Message);
        var far = Chapter10Exercises.AlwaysRightSteps(500);
        Assert.False(far.Solved);
        Assert.Contains($"the simulation says {steps}", far.Message);
    }

    [Fact]
    public void Epsilon_must_beat_greedy_and_be_explained()
    {
        const string why = "Greedy locks onto whichever arm looked best first; exploring a tenth of the time keeps testing the others so the best arm is found.";
        Assert.True(Chapter10Exercises.Epsilon(0.1, why).Solved);
        Assert.Contains("epsilon is still null", Chapter10Exercises.Epsilon(null, "").Message);
        Assert.Contains("the greedy agent itself", Chapter10Exercises.Epsilon(0, why).Message);
        Assert.Contains("Explore less", Chapter10Exercises.Epsilon(0.9, why).Message);
        Assert.Contains("explanation is empty", Chapter10Exercises.Epsilon(0.1, "").Message);
    }

    [Fact]
    public void The_double_dqn_target_lets_the_online_network_choose_and_the_target_network_value()
    {
        static Tensor Right(Tensor r, Tensor d, Tensor online, Tensor target) => r + d * target.gather(1, online.argmax(1, keepdim: true)).squeeze(1);
        Assert.True(Chapter10Exercises.DoubleDqnTarget(Right).Solved);
        Assert.Contains(Starter, Chapter10Exercises.DoubleDqnTarget((_, _, _, _) => throw new NotImplementedException()).Message);
        Assert.Contains("that is DQN's target", Chapter10Exercises.DoubleDqnTarget((r, d, online, target) => r + d * target.max(1).values).Message);
        Assert.Contains("both chooses and values", Chapter10Exercises.DoubleDqnTarget((r, d, online, target) => r + d * online.max(1).values).Message);
        Assert.Contains("did not multiply by the discounts", Chapter10Exercises.DoubleDqnTarget((r, d, online, target) => r + target.gather(1, online.argmax(1, keepdim: true)).squeeze(1)).Message);
    }
}
