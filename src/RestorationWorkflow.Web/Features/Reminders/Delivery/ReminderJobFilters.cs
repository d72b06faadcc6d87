using Hangfire;
using Hangfire.Common;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// Hangfire filters of this host's reminder jobs, without touching Hangfire's static filter list (several hosts in one
/// process — the tests — each keep their own): e-mail jobs retry with Hangfire's back-off up to
/// <c>Email:Attempts</c> attempts in all, then fail (and show as failed in the dashboard). A method-scope filter
/// replaces the global <see cref="AutomaticRetryAttribute"/> (one of a kind is kept, the most specific).
/// </summary>
public sealed class ReminderJobFilters(ReminderOptions options) : IJobFilterProvider
{
    private readonly JobFilter _emailRetry = new(
        new AutomaticRetryAttribute { Attempts = options.EmailAttempts - 1, OnAttemptsExceeded = AttemptsExceededAction.Fail },
        JobFilterScope.Method,
        order: null);

    public IEnumerable<JobFilter> GetFilters(Job job)
    {
        if (job?.Type == typeof(ReminderEmailDelivery) || job?.Type == typeof(DailyDigest))
            yield return _emailRetry;
    }
}
