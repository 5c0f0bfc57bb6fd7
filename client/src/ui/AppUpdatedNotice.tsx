import { UPDATED_MESSAGE, useAppUpdated } from '../appUpdate';

/** Tells a person whose page runs an older version than the server's to reload; their words are kept on the device. */
export function AppUpdatedNotice() {
  if (!useAppUpdated()) return null;
  return (
    <div className="banner banner--warn" role="alert" data-testid="app-updated">
      {UPDATED_MESSAGE}{' '}
      <button type="button" className="button button--small" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
