using MailKit.Security;
using Microsoft.Extensions.Configuration;
using RestorationWorkflow.Web.Features.Reminders.Delivery;
using RestorationWorkflow.Web.Infrastructure;

namespace RestorationWorkflow.IntegrationTests.Reminders;

/// <summary>
/// <c>Email:*</c> read at start-up without MailKit's and MimeKit's types (decision 0061): the sender and the SMTP
/// security become theirs only when a message is built or sent.
/// </summary>
public sealed class MailSettingsTests
{
    private static MailSettings Read(params (string Key, string Value)[] values) =>
        MailSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value)))
            .Build());

    [Fact]
    public void NothingConfigured_SendsAsRestorationWorkflowNoReply_SecuredAutomatically()
    {
        var settings = Read();

        Assert.Null(settings.FromText);
        Assert.Equal("RestorationWorkflow", settings.From.Name);
        Assert.Equal("no-reply@localhost", settings.From.Address);
        Assert.Equal(SecureSocketOptions.Auto, SmtpMailTransport.ToMailKit(settings.Security));
        Assert.False(settings.UsesSmtp);
    }

    [Fact]
    public void TheConfiguredSenderAndSecurity_AreTheOnesUsed()
    {
        var settings = Read(("Email:From", "Restoration desk <desk@example.org>"), ("Email:Smtp:Security", "StartTls"), ("Email:Smtp:Host", "smtp.example.org"));

        Assert.Equal("Restoration desk", settings.From.Name);
        Assert.Equal("desk@example.org", settings.From.Address);
        Assert.Equal(SecureSocketOptions.StartTls, SmtpMailTransport.ToMailKit(settings.Security));
        Assert.True(settings.UsesSmtp);
    }

    [Theory]
    [InlineData("Email:From", "not an address")]
    [InlineData("Email:Smtp:Security", "Tls")]
    public void AValueThatCannotBeUsed_StopsStartUp_NamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<StartupException>(() => Read((key, value)));
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySecurityName_IsMailKitsOfTheSameName()
    {
        foreach (var security in Enum.GetValues<SmtpSecurity>())
            Assert.Equal(security.ToString(), SmtpMailTransport.ToMailKit(security).ToString());
        Assert.Equal(Enum.GetNames<SecureSocketOptions>().Order(), Enum.GetNames<SmtpSecurity>().Order());
    }
}
