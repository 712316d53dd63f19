using System.Text;

namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Gym's <c>FrozenLake-v1</c>: walk on a frozen lake from S to the goal G without falling into a hole H. The state is
/// the cell index <c>row * columns + column</c>; actions are 0 left, 1 down, 2 right, 3 up (a move into the edge stays
/// put). Reaching G pays 1 and terminates, a hole terminates with 0, every other step pays 0; episodes are truncated
/// after <see cref="MaxSteps"/> steps (100 on the 4×4 map, as Gym registers it). On slippery ice the agent moves in the
/// intended direction or in either perpendicular one, each with probability 1/3, exactly Gym's transition rule.
/// </summary>
/// <remarks>Introduced in chapter 10 (reinforcement learning): value iteration and tabular Q-learning.</remarks>
public sealed class FrozenLake : IEnvironment<int>, ITabularModel
{
    /// <summary>Gym's 4×4 map (<c>MAPS["4x4"]</c>).</summary>
    public static IReadOnlyList<string> Map4x4 { get; } = ["SFFF", "FHFH", "FFFH", "HFFG"];

    /// <summary>Action 0: move left.</summary>
    public const int Left = 0;

    /// <summary>Action 1: move down.</summary>
    public const int Down = 1;

    /// <summary>Action 2: move right.</summary>
    public const int Right = 2;

    /// <summary>Action 3: move up.</summary>
    public const int Up = 3;

    private readonly TabularTransition[][][] _transitions;   // [state][action] -> outcomes
    private Random _random = new(0);
    private int _state = -1;
    private int _steps;

    /// <summary>Creates the lake.</summary>
    /// <param name="isSlippery">Gym's <c>is_slippery</c> (its default is <c>true</c>).</param>
    /// <param name="map">Rows of S (start, exactly one), F (frozen), H (hole), G (goal); Gym's 4×4 map by default.</param>
    /// <param name="maxSteps">Steps before truncation (Gym: 100 for 4×4, 200 for 8×8).</param>
    public FrozenLake(bool isSlippery = true, IReadOnlyList<string>? map = null, int maxSteps = 100)
    {
        Map = map ?? Map4x4;
        if (Map.Count == 0 || Map.Any(r => r.Length != Map[0].Length) || Map.Any(r => r.Any(c => "SFHG".IndexOf(c) < 0)))
            throw new ArgumentException("A map is rows of equal length made of S, F, H and G.", nameof(map));
        if (Map.Sum(r => r.Count(c => c == 'S')) != 1) throw new ArgumentException("A map has exactly one start S.", nameof(map));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSteps, 1);
        IsSlippery = isSlippery;
        MaxSteps = maxSteps;
        Rows = Map.Count;
        Columns = Map[0].Length;
        Start = string.Concat(Map).IndexOf('S');
        _transitions = new TabularTransition[StateCount][][];
        for (var s = 0; s < StateCount; s++)
        {
            _transitions[s] = new TabularTransition[4][];
            for (var a = 0; a < 4; a++) _transitions[s][a] = Build(s, a);
        }
    }

    /// <summary>The map's rows.</summary>
    public IReadOnlyList<string> Map { get; }

    /// <summary>Whether moves slip (Gym's <c>is_slippery</c>).</summary>
    public bool IsSlippery { get; }

    /// <summary>Steps per episode before truncation.</summary>
    public int MaxSteps { get; }

    /// <summary>Rows of the map.</summary>
    public int Rows { get; }

    /// <summary>Columns of the map.</summary>
    public int Columns { get; }

    /// <summary>The start state.</summary>
    public int Start { get; }

    /// <inheritdoc/>
    public int StateCount => Rows * Columns;

    /// <inheritdoc/>
    public int ActionCount => 4;

    /// <inheritdoc/>
    public Space ObservationSpace => Space.Discrete(StateCount);

    /// <summary>The map letter of <paramref name="state"/>.</summary>
    /// <param name="state">A state.</param>
    /// <returns>S, F, H or G.</returns>
    public char Cell(int state) => Map[state / Columns][state % Columns];

    /// <inheritdoc/>
    public bool IsTerminal(int state) => Cell(state) is 'H' or 'G';

    /// <inheritdoc/>
    public IReadOnlyList<TabularTransition> Transitions(int state, int action) => _transitions[state][action];

    /// <summary>Starts at S.</summary>
    /// <param name="seed">Seeds the slips of this and later episodes; <c>null</c> continues the generator.</param>
    /// <returns>The start state.</returns>
    public int Reset(int? seed = null)
    {
        if (seed is int s) _random = new Random(s);
        _state = Start;
        _steps = 0;
        return _state;
    }

    /// <summary>Moves (and on slippery ice perhaps slips).</summary>
    /// <param name="action">0 left, 1 down, 2 right, 3 up.</param>
    /// <returns>The new cell, reward 1 at the goal, terminated in a hole or at the goal, truncated after <see cref="MaxSteps"/>.</returns>
    public Transition<int> Step(int action)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(action);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(action, 4);
        if (_state < 0) throw new InvalidOperationException("The episode has ended (or not started): call Reset.");
        var outcomes = _transitions[_state][action];
        var pick = outcomes.Length == 1 ? outcomes[0] : outcomes[Sampling.Categorical(_random, outcomes.Select(o => o.Probability).ToArray())];
        _steps++;
        var truncated = !pick.Terminated && _steps >= MaxSteps;
        _state = pick.Terminated || truncated ? -1 : pick.Next;
        return new Transition<int>(pick.Next, pick.Reward, pick.Terminated, truncated);
    }

    /// <summary>The map with each non-terminal cell replaced by the arrow of <paramref name="policy"/>'s action.</summary>
    /// <param name="policy">An action per state.</param>
    /// <returns>One line per map row, e.g. <c>↓←↓←</c>.</returns>
    public string Arrows(IReadOnlyList<int> policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var text = new StringBuilder();
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                var s = r * Columns + c;
                text.Append(IsTerminal(s) ? Cell(s) : "←↓→↑"[policy[s]]);
            }
            if (r < Rows - 1) text.Append('\n');
        }
        return text.ToString();
    }

    private TabularTransition[] Build(int state, int action)
    {
        if (IsTerminal(state)) return [new(1.0, state, 0, true)];
        if (!IsSlippery) return [Move(state, action, 1.0)];
        return [Move(state, (action + 3) % 4, 1.0 / 3.0), Move(state, action, 1.0 / 3.0), Move(state, (action + 1) % 4, 1.0 / 3.0)];
    }

    private TabularTransition Move(int state, int direction, double probability)
    {
        var (row, col) = (state / Columns, state % Columns);
        switch (direction)
        {
            case Left: col = Math.Max(col - 1, 0); break;
            case Down: row = Math.Min(row + 1, Rows - 1); break;
            case Right: col = Math.Min(col + 1, Columns - 1); break;
            default: row = Math.Max(row - 1, 0); break;
        }
        var next = row * Columns + col;
        var letter = Cell(next);
        return new(probability, next, letter == 'G' ? 1.0 : 0.0, letter is 'G' or 'H');
    }
}
