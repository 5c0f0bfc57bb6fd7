import { CreateAgreementForm } from './CreateAgreementForm';
import { HeldAgreements } from './HeldAgreements';
import { BrandMark } from '../ui/BrandMark';
import './home.css';

export function HomePage() {
  return (
    <div className="home">
      <header className="topbar">
        <a href="/" className="brand">
          <BrandMark />
          <span className="brand__name">Common Ground</span>
        </a>
      </header>
      <section className="home__intro">
        <h1>Write the partnership agreement together.</h1>
        <p>
          NGOs, businesses and public bodies draft one text, live. The broker runs the session, every party sees the same words at the same time, and legal
          reviewers read along.
        </p>
      </section>
      <main className="home__grid">
        <CreateAgreementForm />
        <HeldAgreements />
      </main>
    </div>
  );
}
