/**
 * Which simulated connector runs a service type: the mission brief's table
 * (comfyui, openai-text/openai-image, a1111, simulation), and the generic
 * REST connector for anything else.
 */
import { schemaNameFor } from '@jobscope/core/schemas';
import { A1111Connector } from './a1111.js';
import { ComfyUIConnector } from './comfyui.js';
import { OpenAIImageConnector, OpenAITextConnector } from './openai.js';
import { RestConnector } from './rest.js';
import { SimulationConnector } from './simulation.js';
import type { SimulatedConnector } from './types.js';

export const SERVICE_TYPES: readonly string[] = ['comfyui', 'openai-text', 'openai-image', 'a1111', 'simulation', 'rest'];

/** A connector for the service type (`openai` alone means text); unknown types get the REST connector. */
export function connectorFor(serviceType: string): SimulatedConnector {
  const t = serviceType.toLowerCase();
  switch (schemaNameFor(t)) {
    case 'comfyui':
      return new ComfyUIConnector();
    case 'openai':
      return t.includes('image') ? new OpenAIImageConnector() : new OpenAITextConnector();
    case 'a1111':
      return new A1111Connector();
    case 'simulation':
      return new SimulationConnector();
    case 'rest':
      return new RestConnector(serviceType);
  }
}
