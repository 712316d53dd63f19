using DeepLearning.Course.Reinforcement;

namespace DeepLearning.Course.Tests.Reinforcement;

/// <summary>FrozenLake behaves as Gym's FrozenLake-v1 on the 4×4 map: moves, holes, the goal, slipping, the time limit.</summary>
public class FrozenLakeTests
{
    private const int L = FrozenLake.Left, D = FrozenLake.Down, R = FrozenLake.Right, U = FrozenLake.Up;

    [Fact]
    public void Without_slipping_the_shortest_path_reaches_the_goal_in_six_steps()
    {
        // Given the deterministic lake (S at 0, G at 15)
        var env = new FrozenLake(isSlippery: false);
        Assert.Equal(0, env.Reset(0));
        // When the agent walks down, down, right, right, down, right
        var path = new[] { D, D, R, R, D, R }.Select(env.Step).ToList();
        // Then it passes 4, 8, 9, 10, 14 and ends at the goal with reward 1, terminated
        Assert.Equal(new[] { 4, 8, 9, 10, 14, 15 }, path.Select(s => s.Observation));
        Assert.All(path.Take(5), s => Assert.False(s.Done));
        Assert.Equal(0.0, path.Take(5).Sum(s => s.Reward));
        Assert.Equal(new Transition<int>(15, 1.0, true, false), path[^1]);
        Assert.Throws<InvalidOperationException>(() => env.Step(D));
    }

    [Fact]
    public void A_hole_terminates_without_reward_and_the_edge_stops_a_move()
    {
        var env = new FrozenLake(isSlippery: false);
        env.Reset(0);
        // Given moves into the edge from the start
        Assert.Equal(0, env.Step(L).Observation);
        Assert.Equal(0, env.Step(U).Observation);
        // When the agent goes right then down into the hole at 5
        Assert.Equal(1, env.Step(R).Observation);
        var fall = env.Step(D);
        // Then
        Assert.Equal(new Transition<int>(5, 0.0, true, false), fall);
        Assert.True(env.IsTerminal(5));
        Assert.Equal('H', env.Cell(5));
    }

    [Fact]
    public void On_ice_an_action_slips_to_either_perpendicular_direction_with_probability_one_third()
    {
        // Given the slippery lake's model, as Gym's P[s][a]
        var env = new FrozenLake();
        // Then "down" from the start is left (stay at 0), down (4) or right (1), a third each, in Gym's order
        var third = 1.0 / 3.0;
        Assert.Equal(new[] { new TabularTransition(third, 0, 0, false), new(third, 4, 0, false), new(third, 1, 0, false) }, env.Transitions(0, D));
        // ... "right" from 14 reaches the goal a third of the time (right), else 10 (up) or 14 (down, into the edge)
        Assert.Equal(new[] { new TabularTransition(third, 14, 0, false), new(third, 15, 1, true), new(third, 10, 0, false) }, env.Transitions(14, R));
        // ... terminal states stay put with reward 0
        Assert.Equal(new[] { new TabularTransition(1.0, 5, 0, true) }, env.Transitions(5, L));
        // When "down" is taken 30,000 times from the start (seeded)
        env.Reset(3);
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < 30_000; i++)
        {
            env.Reset();
            var next = env.Step(D).Observation;
            counts[next] = counts.GetValueOrDefault(next) + 1;
        }
        // Then the outcomes appear a third of the time each
        Assert.Equal(new[] { 0, 1, 4 }, counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c / 30_000.0, third - 0.015, third + 0.015));
    }

    [Fact]
    public void Episodes_are_truncated_after_100_steps_and_seeded_slips_repeat()
    {
        // Given the deterministic lake and an agent that only pushes into the corner
        var env = new FrozenLake(isSlippery: false);
        env.Reset(0);
        // When it steps 100 times
        var steps = Enumerable.Range(0, 100).Select(_ => env.Step(L)).ToList();
        // Then only the 100th step is truncated, and none terminated
        Assert.All(steps.Take(99), s => Assert.False(s.Done));
        Assert.True(steps[^1].Truncated);
        Assert.False(steps[^1].Terminated);
        // ... and on ice, the same seed gives the same walk
        static List<int> Walk(int seed)
        {
            var ice = new FrozenLake();
            var states = new List<int> { ice.Reset(seed) };
            Transition<int> s;
            do { s = ice.Step(R); states.Add(s.Observation); } while (!s.Done);
            return states;
        }
        Assert.Equal(Walk(11), Walk(11));
        Assert.Equal(16, new FrozenLake().ObservationSpace.Size);
        Assert.Equal("↓↓↓↓\n↓H↓H\n↓↓↓H\nH↓↓G", new FrozenLake().Arrows(Enumerable.Repeat(D, 16).ToArray()));
    }
}
