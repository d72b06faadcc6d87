using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using RestorationWorkflow.Data;

namespace RestorationWorkflow.Migrations.SqlServer;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for SQL Server; no server is contacted.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>()
            .UseSqlServer("Server=(design-time);Database=RestorationWorkflow;Trusted_Connection=True;TrustServerCertificate=True",
                o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options;
        return new AppDbContext(options);
    }
}
