/** What went wrong with a form's last action, read out at once by screen readers; nothing when all is well. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
