import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AllCommunityModule, ModuleRegistry, provideGlobalGridOptions } from 'ag-grid-community';
// The page's font, bundled (no run-time fetch): each weight's CSS carries the Vietnamese subset.
import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/500.css';
import '@fontsource/be-vietnam-pro/600.css';
import '@fontsource/be-vietnam-pro/700.css';
import { App } from './App.tsx';
import { gridTheme } from './theme.ts';
import './styles.css';

// Community modules only: the hierarchy, ranges, paste and undo are built in this client.
ModuleRegistry.registerModules([AllCommunityModule]);
// Every grid gets the product's theme unless it passes its own.
provideGlobalGridOptions({ theme: gridTheme });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
