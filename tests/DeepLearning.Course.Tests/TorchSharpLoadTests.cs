using static TorchSharp.torch;

namespace DeepLearning.Course.Tests;

public class TorchSharpLoadTests
{
    [Fact]
    public void A_linear_model_trains_on_this_machine()
    {
        // Given a tiny linear problem y = 3x + 1
        manual_seed(0);
        var x = rand(64, 1);
        var y = 3 * x + 1;
        var model = nn.Linear(1, 1);
        var opt = optim.SGD(model.parameters(), 0.5);
        float first = 0, last = 0;
        // When we take gradient steps
        for (int i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            opt.step();
            if (i == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        // Then the loss falls by orders of magnitude
        Assert.True(last < first / 100, $"loss {first} -> {last}");
    }
}
