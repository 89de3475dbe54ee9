import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { isEmbed } from "../share/link";
import { App } from "./app/App";
import { EmbedApp } from "./embed/EmbedApp";
import { FsProvider } from "./files/FsContext";
import { NetworkProvider } from "./network/NetworkContext";
import { ThemeProvider } from "./theme/ThemeContext";
import "./theme/theme.css";
import "./app/app.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ThemeProvider>
      <NetworkProvider>
        <FsProvider>
          {isEmbed(location.search) ? <EmbedApp /> : <App />}
        </FsProvider>
      </NetworkProvider>
    </ThemeProvider>
  </StrictMode>,
);
