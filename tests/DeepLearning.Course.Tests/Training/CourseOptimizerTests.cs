using DeepLearning.Course.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Training;

public class CourseOptimizerTests
{
    public static TheoryData<string> Configurations => new()
    {
        "adam", "adam wd", "adam amsgrad", "adam maximize",
        "adamw", "adamw wd0", "adamw amsgrad",
        "sgd", "sgd momentum", "sgd nesterov", "sgd dampening wd", "sgd maximize",
    };

    /// <summary>The course's optimizer and TorchSharp's own, built with the same settings over the given parameters.</summary>
    internal static (optim.Optimizer Course, optim.Optimizer Stock) Build(string configuration, IEnumerable<Parameter> courseParams, IEnumerable<Parameter> stockParams) => configuration switch
    {
        "adam" => (new CourseAdam(courseParams, 0.01), optim.Adam(stockParams, 0.01)),
        "adam wd" => (new CourseAdam(courseParams, 0.01, weight_decay: 0.1), optim.Adam(stockParams, 0.01, weight_decay: 0.1)),
        "adam amsgrad" => (new CourseAdam(courseParams, 0.01, 0.8, 0.9, amsgrad: true), optim.Adam(stockParams, 0.01, 0.8, 0.9, amsgrad: true)),
        "adam maximize" => (new CourseAdam(courseParams, 0.01, maximize: true), optim.Adam(stockParams, 0.01, maximize: true)),
        "adamw" => (new CourseAdamW(courseParams, 0.01, weight_decay: 0.1), optim.AdamW(stockParams, 0.01, weight_decay: 0.1)),
        "adamw wd0" => (new CourseAdamW(courseParams, 0.01, weight_decay: 0), optim.AdamW(stockParams, 0.01, weight_decay: 0)),
        "adamw amsgrad" => (new CourseAdamW(courseParams, 0.01, weight_decay: 0.05, amsgrad: true), optim.AdamW(stockParams, 0.01, weight_decay: 0.05, amsgrad: true)),
        "sgd" => (new CourseSgd(courseParams, 0.05), optim.SGD(stockParams, 0.05)),
        "sgd momentum" => (new CourseSgd(courseParams, 0.05, momentum: 0.9), optim.SGD(stockParams, 0.05, momentum: 0.9)),
        "sgd nesterov" => (new CourseSgd(courseParams, 0.05, momentum: 0.9, nesterov: true), optim.SGD(stockParams, 0.05, momentum: 0.9, nesterov: true)),
        "sgd dampening wd" => (new CourseSgd(courseParams, 0.05, momentum: 0.5, dampening: 0.3, weight_decay: 0.01), optim.SGD(stockParams, 0.05, momentum: 0.5, dampening: 0.3, weight_decay: 0.01)),
        "sgd maximize" => (new CourseSgd(courseParams, 0.05, maximize: true), optim.SGD(stockParams, 0.05, maximize: true)),
        _ => throw new ArgumentOutOfRangeException(nameof(configuration), configuration, null),
    };

    private static nn.Module<Tensor, Tensor> TwoLayer(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(("l1", nn.Linear(5, 8)), ("act", nn.Tanh()), ("l2", nn.Linear(8, 2)));
    }

    private static void Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        nn.functional.mse_loss(model.call(x), y).backward();
        optimizer.step();
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Each_step_matches_TorchSharps_optimizer(string configuration)
    {
        // Given two identical models, one with the course's optimizer and one with TorchSharp's
        var course = TwoLayer(7);
        var stock = TwoLayer(7);
        var (courseOptimizer, stockOptimizer) = Build(configuration, course.parameters(), stock.parameters());
        manual_seed(8);
        var x = randn(16, 5);
        var y = randn(16, 2);
        // When both take the same ten steps
        for (var i = 0; i < 10; i++)
        {
            Step(course, courseOptimizer, x, y);
            Step(stock, stockOptimizer, x, y);
        }
        // Then every parameter is the same (to float32 rounding), and the parameters did move
        manual_seed(7);
        var start = TwoLayer(7).parameters().ToArray();
        var (c, s) = (course.parameters().ToArray(), stock.parameters().ToArray());
        for (var i = 0; i < c.Length; i++)
        {
            Assert.True(c[i].allclose(s[i], rtol: 1e-5, atol: 1e-6), $"{configuration}: parameter {i} differs by {(c[i] - s[i]).abs().max().item<float>()}");
            Assert.False(c[i].allclose(start[i]), $"{configuration}: parameter {i} did not change");
        }
    }

    [Fact]
    public void The_optimizers_keep_TorchSharps_state_dictionary_and_learning_rate_controls()
    {
        // Given a course Adam that took a few steps, saved, and a fresh one loaded from it
        var a = TwoLayer(3);
        var b = TwoLayer(3);
        var first = new CourseAdam(a.parameters(), 0.01);
        manual_seed(4);
        var (x, y) = (randn(8, 5), randn(8, 2));
        for (var i = 0; i < 3; i++) Step(a, first, x, y);
        b.load_state_dict(a.state_dict());
        var second = new CourseAdam(b.parameters(), 0.01);
        using (var stream = new MemoryStream())
        {
            first.save_state_dict(new BinaryWriter(stream));
            stream.Position = 0;
            second.load_state_dict(new BinaryReader(stream));
        }
        // When both continue, and a scheduler halves the learning rate of a third
        for (var i = 0; i < 3; i++)
        {
            Step(a, first, x, y);
            Step(b, second, x, y);
        }
        var scheduled = new CourseAdam(TwoLayer(5).parameters(), 0.01);
        var scheduler = optim.lr_scheduler.StepLR(scheduled, 1, 0.5);
        scheduled.step();
        scheduler.step();
        // Then the loaded one continues exactly where the first was (moments and step count restored), and the scheduler reached it
        foreach (var (p, q) in a.parameters().Zip(b.parameters()))
            Assert.True(p.allclose(q, rtol: 0, atol: 0), "the loaded optimizer diverged from the saved one");
        Assert.Equal(0.005, scheduled.ParamGroups.Single().LearningRate, 12);
    }

    [Fact]
    public void Factories_build_the_course_optimizers()
    {
        var p = TwoLayer(1).parameters().ToArray();
        Assert.IsType<CourseSgd>(Optimizers.Sgd(0.9)(p, 0.1, 0));
        Assert.IsType<CourseAdam>(Optimizers.Adam()(p, 0.1, 0));
        Assert.IsType<CourseAdamW>(Optimizers.AdamW()(p, 0.1, 0.01));
        var dcgan = Assert.IsType<CourseAdam>(Optimizers.Adam(beta1: 0.5)(p, 2e-4, 0));
        Assert.Equal((0.5, 0.999), dcgan.Betas);
    }
}

/// <summary>
/// What a training step leaves for the .NET finalizer: TorchSharp's native scalars are not tracked by dispose scopes,
/// and each one pins a block of the native heap until a collection (found profiling chapter 04's LSTM). Counted with the
/// finalization count of a collection run right after the work, so these tests run alone.
/// </summary>
[Collection("Console")]
public class FinalizerLeftoverTests
{
    private const int Steps = 200;

    /// <summary>Unrelated objects of the test process the count may include (14 seen in a full run; none of them per step).</summary>
    private const int Allowance = 30;

    internal static long LeftForFinalizer(Action work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        work();
        GC.Collect();
        return GC.GetGCMemoryInfo(GCKind.Any).FinalizationPendingCount;
    }

    [Theory]
    [MemberData(nameof(CourseOptimizerTests.Configurations), MemberType = typeof(CourseOptimizerTests))]
    public void The_course_optimizers_leave_nothing_for_the_finalizer(string configuration)
    {
        // Given a model with four parameter tensors under the course's optimizer and under TorchSharp's
        manual_seed(2);
        var course = nn.Sequential(("l1", nn.Linear(5, 8)), ("l2", nn.Linear(8, 2)));
        var stock = nn.Sequential(("l1", nn.Linear(5, 8)), ("l2", nn.Linear(8, 2)));
        var (courseOptimizer, stockOptimizer) = CourseOptimizerTests.Build(configuration, course.parameters(), stock.parameters());
        var (x, y) = (randn(8, 5), randn(8, 2));
        void Train(nn.Module<Tensor, Tensor> m, optim.Optimizer o)
        {
            for (var i = 0; i < Steps; i++)
            {
                using var scope = NewDisposeScope();
                o.zero_grad();
                nn.functional.mse_loss(m.call(x), y).backward();
                o.step();
            }
        }
        Train(course, courseOptimizer); // first steps create the state
        Train(stock, stockOptimizer);
        // When each takes 200 more steps
        var courseLeft = LeftForFinalizer(() => Train(course, courseOptimizer));
        var stockLeft = LeftForFinalizer(() => Train(stock, stockOptimizer));
        // Then TorchSharp's leaves at least one native scalar per parameter and step (zero_grad alone does), the course's
        // none (the count includes a few unrelated objects of the test process: the bound is one per seven steps)
        Assert.True(stockLeft >= 4 * Steps, $"{configuration}: the measurement saw only {stockLeft} objects from TorchSharp's optimizer");
        Assert.True(courseLeft <= Allowance, $"{configuration}: {courseLeft} objects left for the finalizer by {Steps} steps");
    }

    [Fact]
    public void Reading_losses_and_metrics_leaves_nothing_for_the_finalizer()
    {
        // Given a loss, class scores and labels
        var loss = tensor(0.25f);
        var scores = randn(32, 10);
        var labels = randint(0, 10, 32);
        var (sum, count) = (0.0, 0.0);
        // When the loss and the accuracy are read 200 times, and item() for comparison
        var left = LeftForFinalizer(() =>
        {
            for (var i = 0; i < Steps; i++)
            {
                using var scope = NewDisposeScope();
                sum += StepContext.ReadLoss(loss);
                count += Metric.Accuracy.Measure(scores, labels).Count;
            }
        });
        var itemLeft = LeftForFinalizer(() =>
        {
            for (var i = 0; i < Steps; i++) sum += loss.item<float>();
        });
        // Then nothing is left, while item() leaves one each
        Assert.Equal(2 * Steps * 0.25, sum, 6);
        Assert.Equal(32 * Steps, count);
        Assert.True(itemLeft >= Steps, $"item() left {itemLeft}");
        Assert.True(left <= Allowance, $"{left} objects left by {Steps} loss and metric reads");
    }

    [Fact]
    public void The_dot_product_model_leaves_nothing_for_the_finalizer()
    {
        // Given chapter 05's dot-product model with biases and a rating range
        manual_seed(0);
        var model = new DeepLearning.Course.Models.DotProductBias(new(NumUsers: 20, NumItems: 30, Factors: 4, UseBias: true, YRange: (0, 5.5)));
        var x = stack([randint(0, 20, 16), randint(0, 30, 16)], 1);
        // When it predicts (and back-propagates) 200 times
        var left = LeftForFinalizer(() =>
        {
            for (var i = 0; i < Steps; i++)
            {
                using var scope = NewDisposeScope();
                model.call(x).sum().backward();
            }
        });
        // Then nothing is left for the finalizer
        Assert.True(left <= Allowance, $"{left} objects left by {Steps} forward and backward passes");
    }
}
