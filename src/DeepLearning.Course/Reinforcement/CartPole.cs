using static TorchSharp.torch;

namespace DeepLearning.Course.Reinforcement;

/// <summary>
/// Gym's <c>CartPole-v1</c>: a pole hinged on a cart that moves along a frictionless track; push the cart left
/// (action 0) or right (action 1) with a force of 10 N to keep the pole up. The observation is
/// <c>[x, ẋ, θ, θ̇]</c> (θ in radians, positive when the pole leans right). The dynamics are Barto, Sutton &amp;
/// Anderson (1983) in the corrected form of Florian (2007), with Gym's constants, integrated by explicit Euler steps of
/// τ = 0.02 s; every step pays 1 (the one that ends the episode too). The episode terminates when |θ| &gt; 12° or
/// |x| &gt; 2.4 and is truncated after 500 steps. The start state is uniform in ±0.05 per component.
/// </summary>
/// <remarks>
/// <para>Introduced in chapter 10 (reinforcement learning): DQN and REINFORCE learn to balance it.</para>
/// <para>The arithmetic is Gym's, in double precision as Gym's Python floats; only the random start states differ
/// from Gym's for the same seed (.NET's <see cref="Random"/> is not NumPy's generator).</para>
/// </remarks>
public sealed class CartPole : IEnvironment<double[]>
{
    /// <summary>g, in m/s².</summary>
    public const double Gravity = 9.8;

    /// <summary>Mass of the cart, kg.</summary>
    public const double MassCart = 1.0;

    /// <summary>Mass of the pole, kg.</summary>
    public const double MassPole = 0.1;

    /// <summary>Half the pole's length, m (Gym's <c>length</c>).</summary>
    public const double HalfLength = 0.5;

    /// <summary>Magnitude of the push, N.</summary>
    public const double ForceMagnitude = 10.0;

    /// <summary>Seconds per step.</summary>
    public const double Tau = 0.02;

    /// <summary>|θ| beyond this ends the episode: 12° in radians (Gym: <c>12 * 2 * math.pi / 360</c>).</summary>
    public const double ThetaThreshold = 12 * 2 * Math.PI / 360;

    /// <summary>|x| beyond this ends the episode, m.</summary>
    public const double XThreshold = 2.4;

    /// <summary>Steps after which <c>CartPole-v1</c> truncates an episode.</summary>
    public const int MaxSteps = 500;

    private const double TotalMass = MassPole + MassCart;
    private const double PoleMassLength = MassPole * HalfLength;

    private readonly double[] _state = new double[4];
    private Random _random = new(0);
    private bool _running;

    /// <inheritdoc/>
    public int ActionCount => 2;

    /// <summary><c>[x, ẋ, θ, θ̇]</c>, bounded by twice the thresholds for x and θ (as Gym's space).</summary>
    public Space ObservationSpace { get; } = Space.Box(
        [-2 * XThreshold, double.NegativeInfinity, -2 * ThetaThreshold, double.NegativeInfinity],
        [2 * XThreshold, double.PositiveInfinity, 2 * ThetaThreshold, double.PositiveInfinity]);

    /// <summary>Steps taken in the current episode.</summary>
    public int Steps { get; private set; }

    /// <summary>A copy of the current state <c>[x, ẋ, θ, θ̇]</c>.</summary>
    public double[] State => (double[])_state.Clone();

    /// <summary>Starts an episode in a random state near upright: each component uniform in [-0.05, 0.05).</summary>
    /// <param name="seed">Seeds this and later start states; <c>null</c> continues the generator.</param>
    /// <returns>The start state.</returns>
    public double[] Reset(int? seed = null)
    {
        if (seed is int s) _random = new Random(s);
        for (var i = 0; i < 4; i++) _state[i] = Sampling.Uniform(_random, -0.05, 0.05);
        return Begin();
    }

    /// <summary>Starts an episode in a given state (for tests and experiments: the pole released at an angle, say).</summary>
    /// <param name="x">Cart position, m.</param>
    /// <param name="xDot">Cart velocity, m/s.</param>
    /// <param name="theta">Pole angle from vertical, rad (positive: leaning right).</param>
    /// <param name="thetaDot">Pole angular velocity, rad/s.</param>
    /// <returns>The start state.</returns>
    public double[] ResetTo(double x, double xDot, double theta, double thetaDot)
    {
        (_state[0], _state[1], _state[2], _state[3]) = (x, xDot, theta, thetaDot);
        return Begin();
    }

    /// <summary>Pushes the cart for τ seconds and integrates the equations of motion by one Euler step.</summary>
    /// <param name="action">0 pushes left, 1 pushes right.</param>
    /// <returns>The new state, reward 1, terminated past the thresholds, truncated at step 500.</returns>
    public Transition<double[]> Step(int action)
    {
        if (action is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(action), action, "CartPole's actions are 0 (push left) and 1 (push right).");
        if (!_running) throw new InvalidOperationException("The episode has ended (or not started): call Reset.");
        var (x, xDot, theta, thetaDot) = (_state[0], _state[1], _state[2], _state[3]);
        var force = action == 1 ? ForceMagnitude : -ForceMagnitude;
        var cos = Math.Cos(theta);
        var sin = Math.Sin(theta);
        // Florian (2007), eqs. 23-24 with friction 0, as Gym writes them
        var temp = (force + PoleMassLength * thetaDot * thetaDot * sin) / TotalMass;
        var thetaAcc = (Gravity * sin - cos * temp) / (HalfLength * (4.0 / 3.0 - MassPole * cos * cos / TotalMass));
        var xAcc = temp - PoleMassLength * thetaAcc * cos / TotalMass;
        // explicit Euler ("euler"): positions move with the old velocities
        x += Tau * xDot;
        xDot += Tau * xAcc;
        theta += Tau * thetaDot;
        thetaDot += Tau * thetaAcc;
        (_state[0], _state[1], _state[2], _state[3]) = (x, xDot, theta, thetaDot);
        Steps++;
        var terminated = x < -XThreshold || x > XThreshold || theta < -ThetaThreshold || theta > ThetaThreshold;
        var truncated = !terminated && Steps >= MaxSteps;
        _running = !(terminated || truncated);
        return new Transition<double[]>(State, 1.0, terminated, truncated);
    }

    /// <summary>
    /// Draws states as frames, Gym's picture at a smaller size: the track, the cart (black) and the pole (brown), the
    /// whole ±2.4 m track across the width.
    /// </summary>
    /// <param name="states">States <c>[x, ẋ, θ, θ̇]</c>, e.g. an episode's observations.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <returns>Images <c>[N, 3, height, width]</c> in [0, 1], for <see cref="Visualization.ImageGrid.From"/>.</returns>
    public static Tensor Frames(IReadOnlyList<double[]> states, int width = 160, int height = 80)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 20);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 20);
        var pixels = new float[states.Count * 3 * height * width];
        Array.Fill(pixels, 1f);
        var scale = width / (2 * XThreshold);              // pixels per metre
        var (cartW, cartH) = (width / 12.0, height / 13.0);
        var trackY = height * 0.8;                          // rows grow downwards
        for (var n = 0; n < states.Count; n++)
        {
            var frame = n * 3 * height * width;
            void Put(int px, int py, float r, float g, float b)
            {
                if (px < 0 || px >= width || py < 0 || py >= height) return;
                var i = frame + py * width + px;
                (pixels[i], pixels[i + height * width], pixels[i + 2 * height * width]) = (r, g, b);
            }
            for (var px = 0; px < width; px++) Put(px, (int)trackY, 0, 0, 0);
            var cx = states[n][0] * scale + width / 2.0;
            for (var py = (int)(trackY - cartH); py < (int)trackY; py++)
                for (var px = (int)(cx - cartW / 2); px <= (int)(cx + cartW / 2); px++) Put(px, py, 0, 0, 0);
            var (sin, cos) = (Math.Sin(states[n][2]), Math.Cos(states[n][2]));
            var poleLength = scale * 2 * HalfLength;
            var pivotY = trackY - cartH;
            var half = Math.Max(1.0, width / 100.0);
            for (var t = 0.0; t <= poleLength; t += 0.5)
                for (var w = -half; w <= half; w += 0.5)
                    Put((int)Math.Round(cx + t * sin + w * cos), (int)Math.Round(pivotY - t * cos + w * sin), 0.8f, 0.6f, 0.4f);
            for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++) Put((int)cx + dx, (int)pivotY + dy, 0.5f, 0.5f, 0.8f);   // the hinge
        }
        return tensor(pixels, new long[] { states.Count, 3, height, width });
    }

    private double[] Begin()
    {
        Steps = 0;
        _running = true;
        return State;
    }
}
