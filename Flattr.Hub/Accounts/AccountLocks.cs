namespace Flattr.Hub.Accounts;

/// <summary>
/// An admin's lock: the lockout end set to the end of time, so it never lapses like the 15-minute lockout after failed
/// sign-ins does, and sign-in can tell the two apart.
/// </summary>
public static class AccountLocks
{
    public static readonly DateTimeOffset AdminLockEnd = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public static bool IsLockedByAdmin(HubUser user) => user.LockoutEnd is { } end && end >= AdminLockEnd;
}
