export { appointmentRoutes } from './routes/appointment-routes.js';
export { joinRoutes } from './routes/join-routes.js';
export { participantAuthentication } from './participant-auth.js';
export { bookAppointment } from './appointments.js';
