using DeepLearning.Course.Reinforcement;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>
/// A tiny environment for agent tests: one vector observation [1, 0], two actions, one step; action 1 pays 1 and
/// action 0 pays 0. Any agent for vector observations runs on it; a learner must come to prefer action 1.
/// </summary>
internal sealed class OneStepChoice : IEnvironment<double[]>
{
    private bool _running;

    public int ActionCount => 2;

    public Space ObservationSpace { get; } = Space.Box([0, 0], [1, 1]);

    public double[] Reset(int? seed = null)
    {
        _running = true;
        return [1, 0];
    }

    public Transition<double[]> Step(int action)
    {
        if (!_running) throw new InvalidOperationException("call Reset");
        _running = false;
        return new Transition<double[]>([0, 1], action == 1 ? 1 : 0, true, false);
    }
}
