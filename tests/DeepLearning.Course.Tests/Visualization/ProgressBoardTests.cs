using DeepLearning.Course.Training;
using DeepLearning.Course.Visualization;
using Microsoft.DotNet.Interactive;

namespace DeepLearning.Course.Tests.Visualization;

public class ProgressBoardTests
{
    [Fact]
    public void The_board_updates_in_place_throttled_and_always_draws_the_final_state()
    {
        // Given a board in a notebook (the fake frontend)
        var board = new ProgressBoard(totalEpochs: 3);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // When many batches and epochs are reported within a fraction of a second
        for (var epoch = 1; epoch <= 3; epoch++)
        {
            for (var batch = 0; batch < 200; batch++) board.Batch(epoch, batch, 1.0 / (batch + 1));
            board.EndEpoch(new EpochRecord(epoch, new Dictionary<string, double> { ["train_loss"] = 1.0 / epoch }, TimeSpan.Zero, 0.1));
        }
        board.Finish("Completed 3 epochs.");
        // Then it was displayed once and updated in place only a few times, ending with the final state
        var shown = Kernel.Displayed.Single(d => ReferenceEquals(d.Value, board));
        Assert.Equal(["text/html", "text/plain"], shown.MimeTypes);
        var budget = 2 + (int)(clock.Elapsed.TotalSeconds * ProgressBoard.MaxUpdatesPerSecond); // first + throttled + final
        Assert.InRange(board.Redraws, 2, budget);
        Assert.True(board.Redraws < 603 / 10, $"{board.Redraws} redraws for 603 reports");
        Assert.Equal(board.Redraws - 1, shown.Updates.Count);
        Assert.Equal([1.0, 0.5, 1.0 / 3], board.Curves["train_loss"].Y);
        var html = board.ToHtml();
        Assert.Contains("<progress max=\"3\" value=\"3\"", html);
        Assert.Contains("Completed 3 epochs.", html);
        Assert.Contains("\"name\":\"train_loss\"", html);
    }

    [Fact]
    public void The_trainer_draws_on_the_board_when_progress_is_shown()
    {
        TorchSharp.torch.manual_seed(30);
        var model = TorchSharp.torch.nn.Linear(3, 1);
        var trainer = new Trainer(new TrainerOptions { Epochs = 2, Loss = Losses.Mse, LearningRate = 0.05, Device = TorchSharp.torch.CPU });
        var before = Kernel.Displayed.Count;
        trainer.Fit(model, Synthetic.Regression());
        Assert.Contains(Kernel.Displayed.Skip(before), d => d.Value is ProgressBoard);
    }

    [Fact]
    public void A_reinforcement_learner_counts_steps_and_episodes_instead_of_epochs_and_batches()
    {
        // Given a board for 1,000 environment steps
        var board = new ProgressBoard(1000, "environment step", "DQN", unit: "step", part: "episode");
        // When step 120 of episode 7 is reported
        board.Batch(120, 6, 0.25);
        // Then the status line names steps and episodes; the default board still names epochs and batches
        Assert.StartsWith("step 120/1000 · episode 7 · loss 0.25", board.StatusLine());
        Assert.StartsWith("epoch 0/3 · batch 0", new ProgressBoard(3).StatusLine());
    }
}
