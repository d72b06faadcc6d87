using System.Text;

namespace RestorationWorkflow.Web.Features.Identity;

/// <summary>
/// <c>dotnet run --project src/RestorationWorkflow.Web -- create-admin --email X [--name "Name"]</c>: creates the
/// first administrator of a production database. The password comes from <c>RW_ADMIN_PASSWORD</c> or standard input.
/// </summary>
public static class CreateAdminCommand
{
    public const string Name = "create-admin";

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>Arguments for the web host: the command's own are removed.</summary>
    public static string[] HostArgs(string[] args) => IsInvoked(args) ? [] : args;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var email = Option(args, "--email");
        var displayName = Option(args, "--name");
        if (string.IsNullOrWhiteSpace(email))
        {
            await error.WriteLineAsync("Usage: create-admin --email admin@example.org [--name \"Display Name\"]  (password from RW_ADMIN_PASSWORD or standard input)");
            return 2;
        }

        var password = Environment.GetEnvironmentVariable("RW_ADMIN_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            if (!Console.IsInputRedirected && ReferenceEquals(input, Console.In))
            {
                await output.WriteAsync($"Password for {email}: ");
                password = ReadHidden();
                await output.WriteLineAsync();
            }
            else
            {
                password = await input.ReadLineAsync();
            }
        }
        if (string.IsNullOrEmpty(password))
        {
            await error.WriteLineAsync("No password given: set RW_ADMIN_PASSWORD or type it on standard input.");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var administration = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var result = await administration.CreateAsync(Actor.System, email, displayName, password, [RestorationWorkflow.Identity.AppRoles.Administrator]);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"The administrator {email} was not created:");
            foreach (var (field, messages) in result.Errors)
            {
                foreach (var message in messages)
                    await error.WriteLineAsync($"  {field}: {message}");
            }
            return 1;
        }
        await output.WriteLineAsync($"Administrator {result.Value!.Email} created. Sign in at /Account/Login.");
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string ReadHidden()
    {
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                return password.ToString();
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                    password.Length--;
                continue;
            }
            password.Append(key.KeyChar);
        }
    }
}
