export {
  readRegistrationEndpoint as GET,
  updateRegistrationEndpoint as PUT,
  deleteRegistrationEndpoint as DELETE,
} from "@/lib/oauth/endpoints/registration";
