namespace RestorationWorkflow.Web.Infrastructure.Persistence;

/// <summary>The database products the app runs on (<c>Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}
