// The signed-in user's account on the sync server: who they are and signing out, their password,
// where they are signed in, their API keys, and for admins the users of the server.
import { Link } from 'react-router';
import { ApiKeysSection } from '../account/api-keys-section.tsx';
import { PasswordSection, ProfileSection } from '../account/profile-section.tsx';
import { SessionsSection } from '../account/sessions-section.tsx';
import { UsersSection } from '../account/users-section.tsx';
import { useSession } from '../app/session.tsx';

export function AccountPage() {
  const { mode, user, signOut, setUser } = useSession();
  if (mode !== 'server' || !user) {
    return (
      <div className="page">
        <header className="page-header"><h1>Account</h1></header>
        <div className="empty">
          <h2>No accounts here</h2>
          <p>This Shoebox runs on this computer for you alone, without accounts. Its options are in <Link to="/settings">Settings</Link>.</p>
        </div>
      </div>
    );
  }
  const out = () => void signOut();
  return (
    <div className="page account-page">
      <header className="page-header"><h1>Account</h1></header>
      <ProfileSection user={user} onSignOut={out} />
      <PasswordSection />
      <SessionsSection onSignOut={out} />
      <ApiKeysSection />
      {user.isAdmin && <UsersSection me={user} onMeChanged={setUser} />}
    </div>
  );
}
