using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RestorationWorkflow.Web.Features.Reminders.Delivery;

/// <summary>
/// Ready: the job storage answers (decision 0041). On PostgreSQL and SQL Server it is the database's <c>hangfire</c>
/// schema: reading the recurring jobs' set runs a statement there, so a missing schema or a lost server is reported.
/// </summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            var recurring = connection.GetAllItemsFromSet("recurring-jobs");
            return Task.FromResult(HealthCheckResult.Healthy($"{recurring.Count} recurring jobs"));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or Hangfire.Storage.DistributedLockTimeoutException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The job storage does not answer: {ex.GetType().Name}"));
        }
    }
}
